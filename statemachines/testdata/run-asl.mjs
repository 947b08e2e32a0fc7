// Runs one ASL definition in aws-local-stepfunctions (the reference executor) and prints the result as
// JSON on stdout: {"output": …} or {"error": NAME, "cause": CAUSE}. Reads {"definition", "input"} on
// stdin. Lambda tasks go to AWS_ENDPOINT_URL_LAMBDA (the Go test server). Wait states and retry
// intervals are overridden to 0 ms so that the run takes no real time (the Go side uses a fake clock).
// Usage: ASL_NODE_MODULES=<node_modules> node run-asl.mjs < request.json
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const modules = process.env.ASL_NODE_MODULES;
const { StateMachine } = await import(
  pathToFileURL(join(modules, 'aws-local-stepfunctions', 'build', 'main.node.esm.js')).href
);

let raw = '';
for await (const chunk of process.stdin) raw += chunk;
const { definition, input } = JSON.parse(raw);

const waitTimeOverrides = {};
const retryIntervalOverrides = {};
function collect(machine) {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (state.Retry) retryIntervalOverrides[name] = 0;
    if (state.ItemProcessor) collect(state.ItemProcessor);
    if (state.Iterator) collect(state.Iterator);
    for (const b of state.Branches ?? []) collect(b);
  }
}
collect(definition);

const sm = new StateMachine(definition, { validationOptions: { checkArn: false } });
try {
  const execution = sm.run(input, { overrides: { waitTimeOverrides, retryIntervalOverrides } });
  const output = await execution.result;
  process.stdout.write(JSON.stringify({ output: output ?? null }));
} catch (err) {
  const cause = err.cause ?? err;
  process.stdout.write(JSON.stringify({ error: cause.name ?? String(err), cause: cause.message ?? '' }));
}
