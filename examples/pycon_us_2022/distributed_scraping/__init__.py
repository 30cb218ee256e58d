"""Distributed web scraping in Python (Josh Weissbock): the talk's scraper, stage by stage.

Stage 1 is the iterative script (``stage1_iterative``); stage 2 makes it polite and durable
(``polite_session``, ``scraping_node``, ``browser``, ``forward_proxy``, ``stage2_polite``); stage 3
spreads the same per-page work over Celery workers (``crawl_db``, ``work_queue``, ``controller``,
``workers``). ``python -m examples.pycon_us_2022.distributed_scraping`` is the command line.
"""
