"""Seed 004's project side through PyODPS only: run by tests/sdk_seed.rs.

Usage: project_side.py ENDPOINT AK SK join|residual USER [UID]
join: adds the RAM user to the project and grants it role_project_dev.
residual: the deleted user shows as p4_<UID>, and remove user on it fails.
"""

import json
import sys

from odps import ODPS

ENDPOINT, AK, SK, MODE, USER = sys.argv[1:6]
o = ODPS(AK, SK, "MaxCompute", endpoint=ENDPOINT)
principal = f"RAM$MainCount:{USER}"

if MODE == "join":
    o.run_security_query(f"add user {principal}")
    o.run_security_query(f"grant role_project_dev to {principal}")
    users = str(o.run_security_query("list users"))
    assert principal in users, users
    print(json.dumps({"joined": principal}))
else:
    residual = f"p4_{sys.argv[6]}"
    users = str(o.run_security_query("list users"))
    assert residual in users and principal not in users, users
    try:
        o.run_security_query(f"remove user {residual}")
    except Exception as e:  # noqa: BLE001 - the service's refusal is what is checked
        assert "lack of account provider" in str(e), e
        print(json.dumps({"residual": residual, "remove_user": str(e).splitlines()[0]}))
    else:
        raise AssertionError("remove user on a residual succeeded")
