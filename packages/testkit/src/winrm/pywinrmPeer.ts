/**
 * The Python program that drives Debian's pywinrm in interop tests, kept as
 * text so that it ships inside the compiled package. It reads a JSON spec
 * from stdin.
 *
 * @category testing
 */
export const pywinrmPeerSource = `# A third-party WinRM client for interop tests: Debian's pywinrm (python3-winrm)
# runs one command in a cmd shell, sends stdin, reads the output, and closes
# the shell. Run with /usr/bin/python3; reads a JSON spec on stdin:
#   {"url", "user", "password", "transport": "basic"|"ntlm", "command",
#    "args": [...], "stdin": "..." (optional)}
# and prints {"stdout", "stderr", "exit_code"} as JSON (base64 of the bytes).
import base64
import json
import sys

import xmltodict
from winrm.protocol import Protocol

SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"


def send_stdin(protocol, shell_id, command_id, data):
    # pywinrm 0.3.0 has no Send; build it from its own header helper.
    message = {
        "env:Envelope": protocol._get_soap_header(
            resource_uri=SHELL + "/cmd", action=SHELL + "/Send", shell_id=shell_id
        )
    }
    body = message["env:Envelope"].setdefault("env:Body", {})
    body["rsp:Send"] = {
        "rsp:Stream": {
            "@Name": "stdin",
            "@CommandId": command_id,
            "@End": "true",
            "#text": base64.b64encode(data).decode("ascii"),
        }
    }
    protocol.send_message(xmltodict.unparse(message))


def main():
    spec = json.load(sys.stdin)
    protocol = Protocol(
        endpoint=spec["url"],
        transport=spec["transport"],
        username=spec["user"],
        password=spec["password"],
        server_cert_validation="ignore",
        operation_timeout_sec=spec.get("operation_timeout", 2),
        read_timeout_sec=spec.get("read_timeout", 8),
    )
    shell_id = protocol.open_shell(codepage=65001)
    command_id = protocol.run_command(shell_id, spec["command"], spec.get("args", []))
    if "stdin" in spec:
        send_stdin(protocol, shell_id, command_id, spec["stdin"].encode("utf-8"))
    stdout, stderr, code = protocol.get_command_output(shell_id, command_id)
    protocol.cleanup_command(shell_id, command_id)
    protocol.close_shell(shell_id)
    print(
        json.dumps(
            {
                "stdout": base64.b64encode(stdout).decode("ascii"),
                "stderr": base64.b64encode(stderr).decode("ascii"),
                "exit_code": code,
            }
        )
    )


if __name__ == "__main__":
    main()
`;
