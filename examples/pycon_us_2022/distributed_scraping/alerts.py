"""The talk's alerts: a completion summary, printed and optionally e-mailed.

A crawl that runs overnight must say how it went without anyone watching: how many pages are
done, which failed and why (a 404 is the site's answer; a run of 503s may mean you were blocked),
and when it finished. The summary is plain text; ``send_mail`` delivers it over SMTP. For a local
try, run a debugging SMTP server that prints what it receives:
``python -m aiosmtpd -n -l 127.0.0.1:8025``.
"""

from __future__ import annotations

import argparse
import smtplib
from collections import Counter
from email.message import EmailMessage

from example_support.command_line import UsageError, run
from examples.pycon_us_2022.distributed_scraping.crawl_db import CrawlDB
from examples.pycon_us_2022.distributed_scraping.crawl_options import check_db_path


def summary(db: CrawlDB, seconds: float) -> tuple[str, str]:
    """The alert's subject line and body."""
    counts = Counter(db.counts())
    subject = (
        f"crawl finished in {seconds:.1f} s: {counts['done']} done, {counts['failed']} failed, "
        f"{counts['disallowed']} disallowed by robots.txt"
    )
    if skipped := db.counts(kind="other").get("skipped"):
        subject += f", {skipped} skipped (not http(s) on the crawled host)"
    lines = [subject]
    lines += [f"  failed: {row['url']} ({row['error']})" for row in db.failures()]
    return subject, "\n".join(lines)


def send_mail(subject: str, body: str, to: str, smtp: str = "127.0.0.1:8025") -> None:
    """Send the summary to ``to`` through the SMTP server at ``smtp`` (host:port)."""
    host, _, port = smtp.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--smtp must be HOST:PORT, not {smtp!r}")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "scraper@localhost"
    message["To"] = to
    message.set_content(body)
    with smtplib.SMTP(host, int(port), timeout=30) as server:
        server.send_message(message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="alerts", description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a crawl database")
    parser.add_argument("--mail-to", help="also mail the summary to this address")
    parser.add_argument("--smtp", default="127.0.0.1:8025", help="SMTP server HOST:PORT")
    args = parser.parse_args(argv)
    check_db_path(args.db)
    subject, body = summary(CrawlDB(args.db), 0.0)
    print(body)
    if args.mail_to:
        send_mail(subject, body, args.mail_to, args.smtp)
    return 0


if __name__ == "__main__":
    run(main, prog="alerts")
