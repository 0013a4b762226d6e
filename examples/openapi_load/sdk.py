"""The IAM-shaped workload through each server's own Python SDK, run by examples/openapi_load:
boto3's IAM client against moto, the Tea RAM SDK (alibabacloud_ram20150501) against odpsh serve,
each pointed at its server by its endpoint only. Per user: create the user, create a key, attach
a policy, detach it, delete the key, delete the user. Prints one JSON line.

Usage: sdk.py iam|ram ADDRESS ACCESS_KEY_ID SECRET USERS THREADS PREFIX
"""

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

API, ADDRESS, AK, SK = sys.argv[1:5]
USERS, THREADS = int(sys.argv[5]), int(sys.argv[6])
PREFIX = sys.argv[7]
local = threading.local()


def iam_client():
    import boto3

    return boto3.client("iam", endpoint_url=f"http://{ADDRESS}", region_name="us-east-1",
                        aws_access_key_id=AK, aws_secret_access_key=SK)


def ram_client():
    from alibabacloud_ram20150501.client import Client
    from alibabacloud_tea_openapi.models import Config

    return Client(Config(access_key_id=AK, access_key_secret=SK, endpoint=ADDRESS, protocol="http"))


def iam_life(user):
    iam = local.client
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]["AccessKeyId"]
    iam.attach_user_policy(UserName=user, PolicyArn=arn)
    iam.detach_user_policy(UserName=user, PolicyArn=arn)
    iam.delete_access_key(UserName=user, AccessKeyId=key)
    iam.delete_user(UserName=user)


def ram_life(user):
    from alibabacloud_ram20150501 import models as m

    ram = local.client
    policy = dict(policy_type="System", policy_name="AliyunDataWorksFullAccess", user_name=user)
    ram.create_user(m.CreateUserRequest(user_name=user))
    key = ram.create_access_key(m.CreateAccessKeyRequest(user_name=user)).body.access_key.access_key_id
    ram.attach_policy_to_user(m.AttachPolicyToUserRequest(**policy))
    ram.detach_policy_from_user(m.DetachPolicyFromUserRequest(**policy))
    ram.delete_access_key(m.DeleteAccessKeyRequest(user_name=user, user_access_key_id=key))
    ram.delete_user(m.DeleteUserRequest(user_name=user))


make, life = (iam_client, iam_life) if API == "iam" else (ram_client, ram_life)
errors = []


def one(n):
    if not hasattr(local, "client"):
        local.client = make()
    try:
        life(f"{PREFIX}{n}")
    except Exception as e:  # noqa: BLE001 - counted and reported
        errors.append(repr(e)[:300])


# Clients made before the clock starts (boto3 loads its service model once).
make()
started = time.perf_counter()
with ThreadPoolExecutor(max_workers=THREADS) as pool:
    list(pool.map(one, range(USERS)))
seconds = time.perf_counter() - started
print(json.dumps({"calls": 6 * USERS, "errors": len(errors), "seconds": seconds,
                  "first_error": errors[0] if errors else None}))
