"""PyODPS against `odpsh serve`: run by tests/pyodps.rs with the real client from PyPI.

Usage: suite.py ENDPOINT STATE ODPSH

The server serves the world file STATE; steps PyODPS cannot take (RAM console actions) are taken
with the odpsh binary on the same file, which the server sees at its next request.
"""

import json
import subprocess
import sys
import traceback

from odps import ODPS, errors

ENDPOINT, STATE, ODPSH = sys.argv[1:4]
PROJECT = "MaxCompute"
results = []


def odpsh(statement):
    """One statement run by the odpsh binary on the shared world file; its JSON record."""
    out = subprocess.run(
        [ODPSH, "--state", STATE, "--format", "ndjson", "-e", statement],
        check=False,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    record = json.loads(out.stdout.strip().splitlines()[-1])
    assert record["ok"], record
    return record["result"]


def key(user=None):
    cmd = "aliyun ram CreateAccessKey" + (f" --UserName {user}" if user else "")
    k = odpsh(cmd)["AccessKey"]
    return k["AccessKeyId"], k["AccessKeySecret"]


def step(name):
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


ak, sk = key()
odpsh("aliyun ram CreateUser --UserName alice")
odpsh("aliyun ram CreateUser --UserName bob")
o = ODPS(ak, sk, PROJECT, endpoint=ENDPOINT)
ALICE = "RAM$MainCount:alice"
BOB = "RAM$MainCount:bob"


@step("add a user")
def _():
    assert o.run_security_query(f"add user {ALICE}") is None
    assert o.run_security_query("list users") == [ALICE]


@step("grant and revoke roles")
def _():
    o.run_security_query(f"grant role_project_dev, role_project_pe to {ALICE}")
    desc = o.run_security_query("describe role role_project_dev")
    assert desc["users"] == [ALICE], desc
    o.run_security_query(f"revoke role_project_pe from {ALICE};")
    assert o.run_security_query("describe role role_project_pe")["users"] == []
    assert o.run_security_query("describe role role_project_dev")["users"] == [ALICE]


@step("list users and roles through the REST resources")
def _():
    project = o.get_project()
    assert project.owner == "ALIYUN$MainCount", project.owner
    names = [u.display_name for u in project.users]
    assert names == [ALICE], names
    assert "role_project_dev" in [r.name for r in project.roles]
    assert ALICE in project.users
    assert "RAM$MainCount:nobody" not in project.users


@step("whoami")
def _():
    me = o.run_security_query("whoami")
    assert me["DisplayName"] == "ALIYUN$MainCount", me


@step("a RAM user deleted in the console stays as a residual p4_ member")
def _():
    o.run_security_query(f"add user {BOB}")
    o.run_security_query(f"grant role_project_dev to {BOB}")
    uid = odpsh("aliyun ram GetUser --UserName bob")["User"]["UserId"]
    odpsh("aliyun console DeleteUser --UserName bob")
    residual = f"p4_{uid}"
    users = o.run_security_query("list users")
    assert residual in users and BOB not in users, users
    try:
        o.run_security_query(f"remove user {residual}")
    except errors.ODPSError as e:
        assert "lack of account provider" in str(e), e
    else:
        raise AssertionError("remove user of a residual member succeeded")


@step("a wrong secret gets SignatureNotMatch")
def _():
    bad = ODPS(ak, "not-the-secret", PROJECT, endpoint=ENDPOINT)
    try:
        bad.run_security_query("list users")
    except errors.SignatureNotMatch as e:
        assert "ODPS-0410042" in str(e), e
    else:
        raise AssertionError("a wrong secret was accepted")


@step("a disabled key gets an error, an enabled one works")
def _():
    alice_ak, alice_sk = key("alice")
    odpsh(f"aliyun ram UpdateAccessKey --UserName alice --UserAccessKeyId {alice_ak} --Status Inactive")
    alice = ODPS(alice_ak, alice_sk, PROJECT, endpoint=ENDPOINT)
    try:
        alice.run_security_query("whoami")
    except errors.ODPSError as e:
        assert e.code == "AccessKeyIdDisabled", (e.code, str(e))
        assert f"accessKeyId is disabled: {alice_ak}" in str(e), e
    else:
        raise AssertionError("a disabled key was accepted")
    odpsh(f"aliyun ram UpdateAccessKey --UserName alice --UserAccessKeyId {alice_ak} --Status Active")
    assert alice.run_security_query("whoami")["DisplayName"] == ALICE
    # Alice holds role_project_dev only: managing users is refused as in the shell.
    try:
        alice.run_security_query("list users")
    except errors.NoPermission as e:
        assert "ODPS-0420095" in str(e), e
    else:
        raise AssertionError("a developer listed the users")


@step("an unknown key gets AccessKeyIdNotFound")
def _():
    try:
        ODPS("LTAInobody", "x", PROJECT, endpoint=ENDPOINT).run_security_query("whoami")
    except errors.ODPSError as e:
        assert e.code == "AccessKeyIdNotFound", e.code
    else:
        raise AssertionError("an unknown key was accepted")


@step("V4-signed requests are verified")
def _():
    v4 = ODPS(ak, sk, PROJECT, endpoint=ENDPOINT, region_name="cn-hangzhou")
    assert v4.run_security_query("whoami")["DisplayName"] == "ALIYUN$MainCount"


@step("package statements run asynchronously")
def _():
    try:
        o.execute_security_query("install package other.pkg")
    except errors.SecurityQueryError as e:
        assert "Package not found - 'other.pkg'" in str(e), e
    else:
        raise AssertionError("install package succeeded")


failed = sum(1 for _, err in results if err)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
