"""`python -m isp_console api|all [--host H] [--port N]`: the console's pages. It has no worker
(nothing runs in the background: every page is built from the API when it is asked for), so
`worker` exits at once and `all` is `api`."""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn
from pydantic import ValidationError
from pydantic_settings import SettingsError

from isp_common.logging import configure_logging
from isp_common.settings import ConfigurationError, describe

from isp_console.app import create_console_app
from isp_console.bootstrap import PORT, SERVICE, build_runtime, console_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m isp_console")
    parser.add_argument("mode", choices=("api", "worker", "all"), nargs="?", default="all")
    parser.add_argument("--host", default=os.environ.get("ISP_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ISP_PORT", PORT)))
    args = parser.parse_args(argv)
    if args.mode == "worker":
        print("the console has no worker: nothing to run", file=sys.stderr)
        return
    try:
        settings = console_settings()
    except (ConfigurationError, ValidationError, SettingsError) as exc:
        sys.exit(f"{parser.prog}: {describe(exc)}")
    configure_logging(SERVICE, settings.log_level, settings.log_json)
    app = create_console_app(build_runtime(settings))
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
