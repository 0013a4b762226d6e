"""What the SDK scripts of tests/openapi_sdk share: the server's address and world file from the
command line (ADDRESS STATE ODPSH), the odpsh binary on the same file, the two lines that point an
SDK at odpsh, and reporting each step.
"""

import json
import subprocess
import sys
import traceback

from alibabacloud_tea_openapi.models import Config

ADDRESS, STATE, ODPSH = sys.argv[1:4]
results = []


def odpsh(statements):
    """Statements run by the odpsh binary on the shared world file; the last JSON record."""
    out = subprocess.run(
        [ODPSH, "--state", STATE, "--format", "ndjson", "-e", statements],
        check=False, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def step(name):
    """Runs the decorated function at once, as one reported step."""
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
            print(f"ok     {name}")
        except Exception:  # noqa: BLE001 - every failure is reported
            results.append((name, traceback.format_exc()))
            print(f"FAILED {name}\n{traceback.format_exc()}")
        return fn

    return wrap


def config(ak, sk, **more):
    # The two lines a user changes to point an SDK at odpsh: endpoint and protocol.
    return Config(access_key_id=ak, access_key_secret=sk, endpoint=ADDRESS, protocol="http", **more)


def main_key():
    """The main account's first AccessKey, the one step no SDK can take: made with odpsh."""
    record = odpsh("aliyun ram CreateAccessKey")
    assert record["ok"], record
    key = record["result"]["AccessKey"]
    return key["AccessKeyId"], key["AccessKeySecret"]


def finish():
    """Prints the tally the Rust test reads and exits with the suite's verdict."""
    failed = [name for name, error in results if error]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)
