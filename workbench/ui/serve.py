"""What `workbench app` runs: Streamlit's own command line, in this process, with the warm-up
thread (ui/warmup.py) started first, so the caches are filled while the server waits for its first
visitor. ``python -m workbench.ui.serve run APP.py --server.port=…`` takes `streamlit`'s arguments.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> None:
    # Streamlit is imported here, before the thread starts: two threads importing it at once
    # met a partially initialised streamlit.runtime (ImportError at start-up).
    import streamlit.runtime  # noqa: F401
    from streamlit.web import cli

    from workbench.config import from_env, setting
    from workbench.ui import warmup

    db_url = from_env("db_url")  # set by `workbench app`
    if setting("warmup") and db_url:
        port = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--server.port=")), 8501)
        warmup.start(db_url, port)

    sys.argv = ["streamlit", *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
