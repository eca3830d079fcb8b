"""A local stand-in for ECS Fargate: moto's ECS records the tasks, and each task's overridden
command is executed here for real, in a subprocess with the container's environment: the task
definition's (connections, as its secrets would give them, but no `AI_VISIBILITY_*` setting) plus the
overrides' `environment`. Its output goes to the CloudWatch log stream the operator reads, and its
exit code to the container record."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import patch

import boto3
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ecs.models import ecs_backends
from moto.server import ThreadedMotoServer

REGION = "eu-west-1"
CLUSTER = "ai-visibility"
FAMILY = "ai-visibility-step"
CONTAINER = "ai-visibility-step"
LOG_GROUP = "/ecs/ai-visibility-step"
LOG_PREFIX = "ai-visibility"


@dataclass
class LocalFargate:
    """What ran: each task's command and exit code, in order."""

    container_env: dict[str, str]
    fail_to_start: set[str] = field(default_factory=set)  # step names whose tasks never start
    start_failure: str = "CannotPullContainerError: pull image manifest has been retried 5 time(s)"
    runs: list[dict[str, Any]] = field(default_factory=list)
    subnet: str = ""
    security_group: str = ""

    def run(self, task: Any) -> None:
        override = next(o for o in task.overrides["containerOverrides"] if o["name"] == CONTAINER)
        command = list(override["command"])
        environment = {e["name"]: e["value"] for e in override.get("environment", [])}
        container = task.containers[0]
        task.desired_status = "STOPPED"
        task.last_status = "STOPPED"
        if command[2] in self.fail_to_start:
            task.stop_code = "TaskFailedToStart"
            task.stopped_reason = self.start_failure
            container.last_status = "STOPPED"
            self.runs.append({"command": command, "environment": environment, "exit_code": None})
            return
        executable = [sys.executable, "-m", "ai_visibility.cli", *command[1:]]
        done = subprocess.run(
            executable,
            check=False,
            env={**self.container_env, **environment},
            capture_output=True,
            text=True,
            timeout=60,
        )
        lines = (done.stdout + done.stderr).splitlines() or ["(no output)"]
        stream = f"{LOG_PREFIX}/{CONTAINER}/{task.task_arn.split('/')[-1]}"
        logs = boto3.client("logs", region_name=REGION)
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
        now = int(time.time() * 1000)
        events = [{"timestamp": now + i, "message": line} for i, line in enumerate(lines)]
        logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream, logEvents=events)
        container.last_status = "STOPPED"
        container.exitCode = container.exit_code = done.returncode
        task.stop_code = "EssentialContainerExited"
        self.runs.append({"command": command, "environment": environment, "exit_code": done.returncode})


@contextmanager
def _aws(server: bool) -> Iterator[None]:
    """moto in-process, or as a server on 127.0.0.1 (for aiobotocore, which the in-process mock misses)."""
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}
    if not server:
        with patch.dict(os.environ, env), mock_aws():
            yield
        return
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        with patch.dict(os.environ, {**env, "AWS_ENDPOINT_URL": f"http://{host}:{port}"}):
            yield
    finally:
        moto.stop()


@contextmanager
def local_fargate(
    container_env: dict[str, str],
    fail_to_start: set[str] | None = None,
    server: bool = False,
    start_failure: str | None = None,
) -> Iterator[LocalFargate]:
    with _aws(server):
        definition = {k: v for k, v in os.environ.items() if not k.startswith("AI_VISIBILITY_")}
        fargate = LocalFargate({**definition, **container_env}, fail_to_start or set())
        if start_failure:
            fargate.start_failure = start_failure
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        fargate.subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24")["Subnet"]["SubnetId"]
        fargate.security_group = ec2.create_security_group(GroupName="steps", Description="steps", VpcId=vpc)["GroupId"]
        ecs = boto3.client("ecs", region_name=REGION)
        ecs.create_cluster(clusterName=CLUSTER)
        ecs.register_task_definition(
            family=FAMILY,
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="512",
            memory="1024",
            containerDefinitions=[
                {
                    "name": CONTAINER,
                    "image": "ai-visibility:local",
                    "memory": 1024,
                    "essential": True,
                    "logConfiguration": {
                        "logDriver": "awslogs",
                        "options": {
                            "awslogs-group": LOG_GROUP,
                            "awslogs-region": REGION,
                            "awslogs-stream-prefix": LOG_PREFIX,
                        },
                    },
                }
            ],
        )
        boto3.client("logs", region_name=REGION).create_log_group(logGroupName=LOG_GROUP)
        backend = ecs_backends[DEFAULT_ACCOUNT_ID][REGION]
        original = backend.run_task

        def run_task(*args: Any, **kwargs: Any) -> Any:
            tasks = original(*args, **kwargs)
            for task in tasks:
                fargate.run(task)
            return tasks

        with patch.object(backend, "run_task", run_task):
            yield fargate
