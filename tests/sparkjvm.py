"""One Spark JVM per test run, serving both Spark URLs segdsl takes.

:func:`spark_urls` starts, on first use, a local SparkContext (``local[2]``)
whose JVM runs in America/New_York, so any SQL that leaned on the JVM's or
the session's time zone would show it, and a Spark Connect server inside
the same JVM on a free port. Engines then open the way users do:

* ``spark://local[2]?warehouse=PATH`` shares this context (a session of its own);
* ``sc://127.0.0.1:PORT?warehouse=PATH`` goes through gRPC like a remote client.

The JVM stops when the test process exits. Without pyspark or Java the
Spark tests skip, and fail under ``CI=true``.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import socket
from pathlib import Path
from typing import Any

from segdsl.data.spark import LOG_CONFIG

#: the JVM's own time zone in tests: not UTC, and with summer time
JVM_ZONE = "America/New_York"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SparkUnavailable(RuntimeError):
    """pyspark or Java is missing, or the JVM did not start."""


@functools.cache
def _jvm() -> tuple[Any, int]:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(f"pyspark is not installed ({exc}); pip install -e '.[test]'") from None
    if shutil.which("java") is None:
        raise SparkUnavailable("Java is not installed (Spark needs Java 17: apt-get install openjdk-17-jre-headless)")
    port = _free_port()
    options = f"-Duser.timezone={JVM_ZONE} -Dlog4j2.configurationFile={LOG_CONFIG}"
    try:
        session = (
            SparkSession.builder.master("local[2]")
            .appName("segdsl-tests")
            .config("spark.driver.extraJavaOptions", options)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.memory", "1g")
            .config("spark.connect.grpc.binding.address", "127.0.0.1")
            .config("spark.connect.grpc.binding.port", str(port))
            .getOrCreate()
        )
        context = session.sparkContext
        context._jvm.org.apache.spark.sql.connect.service.SparkConnectService.start(context._jsc.sc())
    except Exception as exc:  # noqa: BLE001 - any failure to start means: no Spark here
        raise SparkUnavailable(f"the Spark JVM did not start: {' '.join(str(exc).split())[:300]}") from exc
    atexit.register(session.stop)
    return session, port


def spark_urls(warehouse: Path) -> dict[str, str]:
    """The local and the Connect URL over ``warehouse`` (the JVM starts on first call)."""
    _session, port = _jvm()
    return {
        "spark": f"spark://local[2]?warehouse={warehouse}",
        "spark_connect": f"sc://127.0.0.1:{port}?warehouse={warehouse}",
    }


def jvm_session() -> Any:
    """The test JVM's own classic session (for settings a test changes on purpose)."""
    return _jvm()[0]
