# Names of one checkout's test databases (sourced by scripts/test_database.sh, the Makefile's
# TEST_DB and clean-test-dbs, and scripts/check_pip_install.sh; tests/test_test_databases.py
# runs these functions). Every name carries a hash of the checkout's absolute path, so two
# clones on one machine (or two git worktrees) never drop each other's databases:
#   kpi_test_tpl_<checkout>_<content>   installed template (both addons, demo data, zh_CN)
#   kpi_test_<checkout>_<run>           throwaway copy of one `make test` run
#   kpi_pipcheck_<checkout>_<run>       database of scripts/check_pip_install.sh

# checkout_hash DIR: 12 hex digits of the hash of DIR's absolute path (symlinks resolved
# when DIR exists).
checkout_hash() {
  local dir=$1
  [ -d "$dir" ] && dir=$(cd "$dir" && pwd -P)
  printf '%s' "$dir" | sha256sum | cut -c1-12
}

# template_name DIR CONTENT_HASH: the template of that checkout for that content.
template_name() { echo "kpi_test_tpl_$(checkout_hash "$1")_$2"; }

# run_database_name DIR RUN [KIND]: a throwaway database of that checkout (KIND test|pipcheck).
run_database_name() { echo "kpi_${3:-test}_$(checkout_hash "$1")_$2"; }

# stale_templates DIR CURRENT < database names: the templates of that checkout other than
# CURRENT (older contents, or a build an interrupted run left); other checkouts' are kept.
stale_templates() {
  local prefix name
  prefix="kpi_test_tpl_$(checkout_hash "$1")_"
  while read -r name; do
    case "$name" in "$prefix"*) [ "$name" = "$2" ] || echo "$name" ;; esac
  done
}

# checkout_test_databases DIR < database names: every test database of that checkout
# (templates, throwaway copies, pip checks), for `make clean-test-dbs`.
checkout_test_databases() {
  local hash name
  hash=$(checkout_hash "$1")
  while read -r name; do
    case "$name" in
      "kpi_test_tpl_${hash}_"*|"kpi_test_${hash}_"*|"kpi_pipcheck_${hash}_"*) echo "$name" ;;
    esac
  done
}
