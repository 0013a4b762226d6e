"""Seed 004's RAM side through the RAM SDK only: run by tests/sdk_seed.rs.

Usage: ram_side.py ADDRESS AK SK create|delete USER
create: the user, its AccessKey and a policy; prints {"uid", "key"} as JSON.
delete: detaches the policy, deletes the key, deletes the user (it is still a project member).
"""

import json
import sys

from alibabacloud_ram20150501 import models
from alibabacloud_ram20150501.client import Client as Ram
from alibabacloud_tea_openapi.models import Config

ADDRESS, AK, SK, MODE, USER = sys.argv[1:6]
POLICY = "AliyunDataWorksFullAccess"
# The two lines a user changes to point the SDK at odpsh: endpoint and protocol.
ram = Ram(Config(access_key_id=AK, access_key_secret=SK, endpoint=ADDRESS, protocol="http"))

if MODE == "create":
    user = ram.create_user(models.CreateUserRequest(user_name=USER)).body.user
    key = ram.create_access_key(models.CreateAccessKeyRequest(user_name=USER)).body.access_key
    ram.attach_policy_to_user(
        models.AttachPolicyToUserRequest(policy_type="System", policy_name=POLICY, user_name=USER))
    print(json.dumps({"uid": user.user_id, "key": key.access_key_id}))
else:
    keys = ram.list_access_keys(models.ListAccessKeysRequest(user_name=USER)).body.access_keys.access_key
    ram.detach_policy_from_user(
        models.DetachPolicyFromUserRequest(policy_type="System", policy_name=POLICY, user_name=USER))
    for k in keys:
        ram.delete_access_key(models.DeleteAccessKeyRequest(user_name=USER, user_access_key_id=k.access_key_id))
    ram.delete_user(models.DeleteUserRequest(user_name=USER))
    print(json.dumps({"deleted": USER, "keys": len(keys)}))
