"""Test databases are named after the checkout (issue 22, finding 8): two clones on one
machine never drop each other's templates. Runs the naming functions of
scripts/test_db_names.sh, which scripts/test_database.sh and the Makefile use; no database.
"""

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "test_db_names.sh"


def names(call, stdin=""):
    result = subprocess.run(
        ["bash", "-c", f'. "{SCRIPT}" && {call}'],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_templates_of_two_checkouts_differ_and_keep_their_shape(tmp_path):
    """Two checkouts of the same content get two templates, each named
    kpi_test_tpl_<checkout hash>_<content hash> and stable for its checkout."""
    first, second = tmp_path / "clone-a", tmp_path / "clone-b"
    first.mkdir()
    second.mkdir()
    [template_a] = names(f'template_name "{first}" 0123456789abcdef')
    [template_b] = names(f'template_name "{second}" 0123456789abcdef')
    assert template_a != template_b
    assert template_a.startswith("kpi_test_tpl_") and template_a.endswith("_0123456789abcdef")
    assert len(template_a) + len("_new") <= 63  # PostgreSQL's limit on names
    assert names(f'template_name "{first}" 0123456789abcdef') == [template_a]
    # a path through a symlink is the same checkout
    (tmp_path / "link").symlink_to(first)
    assert names(f'template_name "{tmp_path / "link"}" 0123456789abcdef') == [template_a]


def test_a_new_template_drops_only_the_same_checkouts_older_ones(tmp_path):
    """What scripts/test_database.sh drops before it installs a new template: this
    checkout's older templates and interrupted build, never another clone's, nor the
    throwaway databases, nor anything else."""
    first, second = str(tmp_path / "clone-a"), str(tmp_path / "clone-b")
    [old_a] = names(f'template_name "{first}" 1111111111111111')
    [new_a] = names(f'template_name "{first}" 2222222222222222')
    [old_b] = names(f'template_name "{second}" 1111111111111111')
    [run_a] = names(f'run_database_name "{first}" 1796570000_42')
    [run_b] = names(f'run_database_name "{second}" 1796570000_43')
    [pip_a] = names(f'run_database_name "{first}" 1796570000_44 pipcheck')
    databases = [
        "postgres",
        old_a,
        f"{new_a}_new",
        old_b,
        f"{old_b}_new",
        run_a,
        run_b,
        pip_a,
        "kpi_test_tpl_d709f720bd052047",  # a template of the former naming
        "kpi_demo",
    ]
    stdin = "\n".join(databases) + "\n"
    assert names(f'stale_templates "{first}" "{new_a}"', stdin) == [old_a, f"{new_a}_new"]
    assert names(f'stale_templates "{second}" "{old_b}"', stdin) == [f"{old_b}_new"]
    # make clean-test-dbs: all of this checkout's test databases, none of the other's
    assert names(f'checkout_test_databases "{first}"', stdin) == [
        old_a,
        f"{new_a}_new",
        run_a,
        pip_a,
    ]
    assert names(f'checkout_test_databases "{second}"', stdin) == [old_b, f"{old_b}_new", run_b]
