import type { z } from 'zod';
import type { ConnectClient, connectSnippet } from '../../shared/schemas/owner-api';

/**
 * What the window's Connect shows for the ways in that have no configuration file to write
 * (electron/api/routes/owner/connect.ts): the README's quickstarts ("Connect your agents"),
 * word for word, with the agent's key and this Purser's URL set in front of them as the
 * README says to (PURSER_KEY, PURSER_URL). test/integration/connect.test.ts checks that
 * each constant below is still the README's block.
 */

type Snippet = z.infer<typeof connectSnippet>;

/** Quotes for POSIX shells when needed, so a snippet can be pasted as it is. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

export interface SnippetPlace {
  key: string;
  /** Where Purser listens now (`http://127.0.0.1:PORT`). */
  url: string;
  /** `electron/bin/purser.mjs` of this Purser, absolute. */
  purserBin: string;
  /** The agent socket (served now or not), for containers. */
  agentSocket: string;
  /** The client package an agent's project installs (`npm run pack:client` makes it). */
  clientTarball: string;
}

const env = ({ key, url }: SnippetPlace) =>
  `export PURSER_URL=${shellQuote(url)}\nexport PURSER_KEY=${shellQuote(key)}\n`;

/** The snippets for a client without a configuration file of its own. */
export function connectSnippets(
  client: Exclude<ConnectClient, 'claude-code' | 'claude-desktop' | 'cursor'>,
  place: SnippetPlace,
): Snippet[] {
  switch (client) {
    case 'shell':
      return [
        {
          title: 'agent.sh',
          language: 'sh',
          text:
            env(place) +
            "# `purser` is this Purser's agent CLI (on PATH after `npm link` in Purser's folder)\n" +
            `command -v purser >/dev/null || purser() { node ${shellQuote(place.purserBin)} "$@"; }\n\n` +
            SHELL_QUICKSTART,
        },
      ];
    case 'typescript':
      return [
        {
          title: "In the agent's project",
          language: 'sh',
          text:
            `npm install ${shellQuote(place.clientTarball)}   # made by \`npm run pack:client\` in Purser's folder\n` +
            env(place) +
            'node agent.mjs\n',
        },
        { title: 'agent.mjs', language: 'typescript', text: TYPESCRIPT_QUICKSTART },
      ];
    case 'python':
      return [
        { title: 'In a terminal', language: 'sh', text: `${env(place)}python3 agent.py\n` },
        { title: 'agent.py', language: 'python', text: PYTHON_QUICKSTART },
      ];
    case 'container':
      return [
        {
          title: 'Start the container',
          language: 'sh',
          text:
            `export PURSER_KEY=${shellQuote(place.key)}\n` +
            'docker run --rm --network none \\\n' +
            `  -v ${shellQuote(`${place.agentSocket}:/run/purser/agent.sock`)} \\\n` +
            '  -e PURSER_KEY -e PURSER_URL=unix:/run/purser/agent.sock \\\n' +
            '  my-agent-image\n',
        },
        { title: 'Inside the container', language: 'sh', text: CONTAINER_QUICKSTART },
      ];
  }
}

export const TYPESCRIPT_QUICKSTART = `import { PurserApiError, PurserClient } from 'purser/client';

const key = process.env.PURSER_KEY;
if (!key) throw new Error('Set PURSER_KEY to the spending key the owner issued (psk_…)');
const purser = new PurserClient({ key, url: process.env.PURSER_URL });
try {
  let request = await purser.spend({
    amount_cents: 1200,
    merchant_name: 'AWS',
    reason: 'GPU hour for the eval',
  });
  if (request.status === 'needs_approval') {
    console.log(\`Waiting for the owner: \${request.approval_url}\`);
    request = await purser.waitForDecision(request.id, { timeoutMs: 10 * 60_000 });
  }
  console.log(request.status, request.decision_reason, request.remaining_budget_cents);
} catch (error) {
  if (error instanceof PurserApiError) console.error(error.status, error.code, error.message);
  else throw error;
}
`;

export const SHELL_QUICKSTART = `purser spend --amount-cents 1200 --merchant AWS --reason "GPU hour for the eval" --wait 600
case $? in
  0) echo "approved: go ahead" ;;
  10) echo "declined: do not buy" ;;
  11) echo "still waiting for the owner" ;;
  *) echo "no decision (error)" ;;
esac
`;

export const CONTAINER_QUICKSTART = `curl -sS --unix-socket /run/purser/agent.sock -X POST http://localhost/v1/spend \\
  -H "Authorization: Bearer $PURSER_KEY" -H "Content-Type: application/json" \\
  -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \\
  -d '{"amount_cents": 1200, "currency": "usd", "merchant_name": "AWS", "reason": "GPU hour for the eval"}'
`;

export const PYTHON_QUICKSTART = `import json
import os
import urllib.error
import urllib.request
import uuid

PURSER_URL = os.environ.get("PURSER_URL", "http://127.0.0.1:8402")
PURSER_KEY = os.environ["PURSER_KEY"]


def purser(method, path, body=None, idempotency_key=None):
    headers = {"Authorization": f"Bearer {PURSER_KEY}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(PURSER_URL + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        # Every error is {"error": {"code", "message", "details"}}; the message says what to fix.
        problem = json.load(error)["error"]
        raise SystemExit(f"{error.code} {problem['code']}: {problem['message']}")
    except urllib.error.URLError as error:
        raise SystemExit(f"Cannot reach Purser at {PURSER_URL}: {error.reason}")


# One idempotency key per purchase, reused if you retry it: a retry never spends twice.
spend = purser(
    "POST",
    "/v1/spend",
    {
        "amount_cents": 1200,
        "currency": "usd",
        "merchant_name": "AWS",
        "reason": "GPU hour for the eval",
    },
    idempotency_key=str(uuid.uuid4()),
)
print(spend["status"], spend["decision_reason"])

if spend["status"] == "needs_approval":
    print("Waiting for the owner:", spend["approval_url"])
    while spend["status"] == "needs_approval":
        # Held up to 60 seconds, answered as soon as the owner decides.
        spend = purser("GET", f"/v1/spend/{spend['id']}?wait=60")
    print(spend["status"], spend["decision_reason"])

print("remaining budget (cents):", spend["remaining_budget_cents"])
if spend["status"] != "approved":
    raise SystemExit(1)  # declined, expired or cancelled: do not buy
`;
