"""Times as their reader reads them (no model here).

A deadline is stored in UTC; it is shown in the time zone of the person who reads
it (the web client's, else his user's), else in the company's working calendar's,
with hours and minutes and no seconds: "2026-12-10 00:00 (Asia/Shanghai)".
"""

import pytz


def reader_tz(env, company=None, user=None):
    """The time zone `user` (default: the current user) reads times in: the web
    client's (the context's, for the current user), his own, else `company`'s
    working calendar's, else UTC. The superuser reads the calendar's."""
    reader = user or env.user
    calendar_tz = (company or env.company).resource_calendar_id.tz
    if reader._is_superuser():  # the system (crons, installs) speaks the company's time
        names = (calendar_tz,)
    else:
        names = (env.context.get("tz") if reader == env.user else None, reader.tz, calendar_tz)
    for name in names:
        if name and name in pytz.all_timezones_set:
            return pytz.timezone(name)
    return pytz.utc


def local_time(env, value, company=None, user=None, date_format="%Y-%m-%d", zone=True):
    """`value` (a naive UTC datetime) in the reader's time zone, to the minute;
    `zone` adds the zone's name, as in "2026-12-10 00:00 (Asia/Shanghai)"."""
    if not value:
        return ""
    tz = reader_tz(env, company=company, user=user)
    text = pytz.utc.localize(value).astimezone(tz).strftime(f"{date_format} %H:%M")
    return f"{text} ({tz.zone})" if zone else text
