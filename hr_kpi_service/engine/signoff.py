"""Sign-off of a results sheet (《绩效考核结果处理表》): the approval chain.

Seed 004 第17条: after each period HR draws up the results sheet and has it
confirmed along the chain 上级主管 → 职能部门经理 → 人力资源总监 → 总经理; seed 000
3.2: the results are approved by 公司领导 before they take effect. The chain is
configuration (levels in order); a company may set none (one HR approval, as
before).

Plain values in and out: a level is ``(name, signers)``, where ``signers`` is the
set of user ids allowed to sign it; signatures are the approving user ids of the
current round, in order. Four-eyes: nobody signs a sheet that holds his own
result, and nobody signs two levels of one round.
"""

from .errors import KpiEngineError, _lt

APPROVE = "approve"
RETURN = "return"


def next_level(level_count, approvals):
    """Index of the level waiting for a signature, or None when every level signed.

    >>> next_level(4, [])
    0
    >>> next_level(4, [7, 8])
    2
    >>> next_level(1, [7]) is None
    True
    """
    if level_count < 0:
        raise KpiEngineError(_lt("A chain cannot have a negative number of levels."))
    done = len(approvals)
    if done > level_count:
        raise KpiEngineError(
            _lt("%(count)s signatures for a chain of %(levels)s levels."),
            count=done,
            levels=level_count,
        )
    return None if done == level_count else done


def signing_refusal(user_id, level_signers, approvals, evaluated_user_ids):
    """Why `user_id` may not sign the current level (a KpiEngineError), or None.

    `level_signers`: the user ids the level allows; `approvals`: the user ids that
    signed the earlier levels of this round; `evaluated_user_ids`: the users whose
    results the sheet holds.

    >>> signing_refusal(5, {5, 6}, [3], {9}) is None
    True
    >>> signing_refusal(9, {9}, [], {9}).message
    'You cannot sign a results sheet that holds your own result.'
    >>> signing_refusal(3, {3}, [3], set()).message
    'You signed an earlier level of this sheet; another person signs this one.'
    >>> signing_refusal(4, {5}, [], set()).message
    'You are not among the signers of this level.'
    """
    if user_id in evaluated_user_ids:
        return KpiEngineError(_lt("You cannot sign a results sheet that holds your own result."))
    if user_id in approvals:
        return KpiEngineError(
            _lt("You signed an earlier level of this sheet; another person signs this one.")
        )
    if user_id not in level_signers:
        return KpiEngineError(_lt("You are not among the signers of this level."))
    return None


def eligible_signers(level_signers, approvals, evaluated_user_ids):
    """The users who may sign the current level (for its activities).

    >>> sorted(eligible_signers({3, 5, 9}, [3], {9}))
    [5]
    """
    return set(level_signers) - set(approvals) - set(evaluated_user_ids)


def check_chain(levels):
    """Refuse a chain whose levels have no name; returns the level count.

    >>> check_chain([("上级主管", "superior"), ("总经理", "users")])
    2
    """
    for index, (name, _kind) in enumerate(levels, start=1):
        if not (name or "").strip():
            raise KpiEngineError(_lt("Level %(level)s of the chain has no name."), level=index)
    return len(levels)
