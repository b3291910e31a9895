#!/usr/bin/env python3
"""Writes a large plan like a monorepo's `terraform show -json` output.

Usage: python3 benches/make_big_plan.py OUT.json [TARGET_MB]

Tens of thousands of ordinary resources (S3 objects, IAM policies with
embedded JSON documents, Lambda functions) with planned_values, prior_state
and configuration, and a few hundred CloudFront distributions in module
instances, some created and some updated. Minified, as Terraform writes it.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import generate as g  # noqa: E402

AWS = g.AWS


def s3_object(i):
    return {
        "acl": None, "bucket": "monorepo-assets", "bucket_key_enabled": False,
        "cache_control": "public, max-age=31536000, immutable", "checksum_algorithm": None,
        "content": None, "content_base64": None, "content_disposition": "",
        "content_encoding": "gzip", "content_language": "", "content_type": "application/javascript",
        "etag": f"{i:032x}", "force_destroy": False, "id": f"static/app/chunk-{i:06d}.js",
        "key": f"static/app/chunk-{i:06d}.js", "kms_key_id": None,
        "metadata": {"build": "2025-11-20T09:00:00Z", "commit": f"{i * 7919:040x}"[:40]},
        "object_lock_legal_hold_status": "", "object_lock_mode": "",
        "object_lock_retain_until_date": "", "override_provider": [],
        "server_side_encryption": "AES256", "source": f"../build/static/app/chunk-{i:06d}.js",
        "source_hash": None, "storage_class": "STANDARD", "tags": {"service": f"svc-{i % 97}"},
        "tags_all": {"service": f"svc-{i % 97}", "team": "platform"},
        "version_id": "", "website_redirect": "",
    }


def iam_policy(i):
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": f"Read{j}", "Effect": "Allow",
         "Action": ["s3:GetObject", "s3:ListBucket", "kms:Decrypt", "dynamodb:GetItem",
                    "dynamodb:Query", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
         "Resource": [f"arn:aws:s3:::svc-{i}-bucket-{j}", f"arn:aws:s3:::svc-{i}-bucket-{j}/*",
                      f"arn:aws:dynamodb:eu-west-1:111111111111:table/svc-{i}-table-{j}"]}
        for j in range(6)]}
    return {"arn": f"arn:aws:iam::111111111111:policy/svc-{i}-runtime", "attachment_count": 1,
            "description": f"Runtime permissions of service {i}", "id": f"arn:aws:iam::111111111111:policy/svc-{i}-runtime",
            "name": f"svc-{i}-runtime", "name_prefix": "", "path": "/services/",
            "policy": json.dumps(doc), "policy_id": f"ANPA{i:017d}", "tags": {}, "tags_all": {}}


def lambda_function(i):
    return {"architectures": ["arm64"], "arn": f"arn:aws:lambda:eu-west-1:111111111111:function:svc-{i}",
            "code_signing_config_arn": "", "dead_letter_config": [], "description": "",
            "environment": [{"variables": {f"VAR_{k}": f"value-{i}-{k}" for k in range(12)}}],
            "ephemeral_storage": [{"size": 512}], "file_system_config": [],
            "filename": f"../dist/svc-{i}.zip", "function_name": f"svc-{i}",
            "handler": "index.handler", "id": f"svc-{i}", "image_config": [], "image_uri": "",
            "invoke_arn": f"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:svc-{i}/invocations",
            "kms_key_arn": "", "layers": [], "logging_config": [{"application_log_level": "",
            "log_format": "Text", "log_group": f"/aws/lambda/svc-{i}", "system_log_level": ""}],
            "memory_size": 512, "package_type": "Zip", "publish": False,
            "qualified_arn": f"arn:aws:lambda:eu-west-1:111111111111:function:svc-{i}:$LATEST",
            "reserved_concurrent_executions": -1, "role": f"arn:aws:iam::111111111111:role/svc-{i}",
            "runtime": "nodejs20.x", "s3_bucket": None, "s3_key": None, "s3_object_version": None,
            "skip_destroy": False, "source_code_hash": f"{i:044x}", "source_code_size": 1048576 + i,
            "tags": {}, "tags_all": {}, "timeout": 30, "timeouts": None,
            "tracing_config": [{"mode": "PassThrough"}], "version": "$LATEST", "vpc_config": []}


KINDS = [("aws_s3_object", "asset", s3_object), ("aws_iam_policy", "runtime", iam_policy),
         ("aws_lambda_function", "svc", lambda_function)]


def main():
    out_path = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 220
    target_bytes = target * 1024 * 1024
    changes, planned, prior = [], [], []
    size = 0
    cert = g.CERT
    # Distributions: 300 module instances, a third of them updated.
    for i in range(300):
        module = f'module.site["site{i:03d}"]'
        address = f"{module}.aws_cloudfront_distribution.this"
        aliases = [f"site{i:03d}.example.com", f"www.site{i:03d}.example.com"]
        if i % 3 == 0:
            before = g.distribution_object(aliases[:1], id=f"E{i:013d}", domain=f"d{i:012d}.cloudfront.net", cert_arn=cert)
            after = dict(before, aliases=aliases)
            actions = ["update"]
        else:
            before = None
            after = g.distribution_object(aliases, cert_arn=cert)
            actions = ["create"]
        rc = {"address": address, "module_address": module, "mode": "managed",
              "type": "aws_cloudfront_distribution", "name": "this", "provider_name": AWS,
              "change": {"actions": actions, "before": before, "after": after,
                         "after_unknown": g.new_distribution_unknown(after),
                         "before_sensitive": g.nested_false(before) if before else False,
                         "after_sensitive": g.nested_false(after)}}
        changes.append(json.dumps(rc, separators=(",", ":")))
    i = 0
    while size < target_bytes:
        kind, name, make = KINDS[i % len(KINDS)]
        values = make(i)
        address = f"{kind}.{name}[{i}]"
        values_json = json.dumps(values, separators=(",", ":"))
        sens = json.dumps(g.nested_false(values), separators=(",", ":"))
        rc = ('{"address":%s,"mode":"managed","type":"%s","name":"%s","index":%d,"provider_name":"%s",'
              '"change":{"actions":["no-op"],"before":%s,"after":%s,"after_unknown":{},'
              '"before_sensitive":%s,"after_sensitive":%s}}'
              % (json.dumps(address), kind, name, i, AWS, values_json, values_json, sens, sens))
        res = ('{"address":%s,"mode":"managed","type":"%s","name":"%s","index":%d,"provider_name":"%s",'
               '"schema_version":0,"values":%s,"sensitive_values":%s}'
               % (json.dumps(address), kind, name, i, AWS, values_json, sens))
        changes.append(rc)
        planned.append(res)
        prior.append(res)
        size += len(rc) + 2 * len(res)
        i += 1
    config = {"provider_config": {"aws": {"name": "aws", "full_name": AWS,
              "expressions": {"region": {"constant_value": "eu-west-1"}}}},
              "root_module": {"resources": [
                  {"address": f"{k}.{n}", "mode": "managed", "type": k, "name": n,
                   "provider_config_key": "aws", "expressions": {}, "schema_version": 0,
                   "count_expression": {"references": ["local.count"]}} for k, n, _ in KINDS],
                  "module_calls": {"site": {"source": "./modules/site", "expressions": {
                      "aliases": {"references": ["each.value"]}},
                      "for_each_expression": {"references": ["local.sites"]},
                      "module": {"resources": [{"address": "aws_cloudfront_distribution.this",
                                                "mode": "managed", "type": "aws_cloudfront_distribution",
                                                "name": "this", "provider_config_key": "aws",
                                                "expressions": {"aliases": {"references": ["var.aliases"]}},
                                                "schema_version": 1}]}}}}}
    with open(out_path, "w") as f:
        f.write('{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{"resources":[')
        f.write(",".join(planned))
        f.write(']}},"resource_changes":[')
        f.write(",".join(changes))
        f.write('],"prior_state":{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[')
        f.write(",".join(prior))
        f.write(']}}},"configuration":')
        f.write(json.dumps(config, separators=(",", ":")))
        f.write(',"relevant_attributes":[],"timestamp":"2025-11-20T09:14:03Z","applyable":true,"complete":true,"errored":false}\n')
    print(f"{out_path}: {os.path.getsize(out_path) / 1048576:.0f} MiB, {i + 300} resource changes", file=sys.stderr)


if __name__ == "__main__":
    main()
