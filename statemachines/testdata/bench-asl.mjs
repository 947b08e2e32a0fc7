// Times the conformance machine in aws-local-stepfunctions, warm, with no-op handlers in-process (the same
// behaviour as shared/flow's fixtureHandlers: screening fails once with TransientError then answers, the
// police check fails with AgencyUnavailable, notifications answer). Reads {"definition","input","n",
// "warmup"} on stdin; prints {"nsPerOp": …, "cpuNsPerOp": …, "output": <last output>} on stdout (wall time and
// the process's CPU time, every thread, per execution). Waits and retry intervals
// are 0 ms, as in run-asl.mjs. Used by shared/flow's BenchmarkConformanceVsReference.
//
// With "results": {STATE: value} in the request (BenchmarkContactVsReference, the production machine), every
// Task state named there is a no-op handler that returns its value at once instead: what the Go benchmark's
// handlers return (lambda:invoke states get the Invoke envelope {Payload, StatusCode}; a .waitForTaskToken
// state's value is its token's answer, since aws-local-stepfunctions has no task tokens and uses a local
// handler's result as the task's result). "context" (e.g. {"Task":{"Token":"…"}}, which the reference does not
// make up itself) is passed as the run's Context Object.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const modules = process.env.ASL_NODE_MODULES;
const { StateMachine } = await import(
  pathToFileURL(join(modules, 'aws-local-stepfunctions', 'build', 'main.node.esm.js')).href
);

let raw = '';
for await (const chunk of process.stdin) raw += chunk;
const { definition, input, n, warmup, results, context } = JSON.parse(raw);

const waitTimeOverrides = {};
const retryIntervalOverrides = {};
function collect(machine) {
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (state.Retry) retryIntervalOverrides[name] = 0;
    if (results && state.TimeoutSecondsPath) {
      // aws-local-stepfunctions 3.0.0 reads TimeoutSecondsPath from the Parameters' output, not from the
      // state's input as AWS does, and only to arm a timer: for the production machine's token states
      // (which it cannot wait on anyway) the path becomes its default, 60 s, the same timer.
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = 60;
    }
    if (state.ItemProcessor) collect(state.ItemProcessor);
    if (state.Iterator) collect(state.Iterator);
    for (const b of state.Branches ?? []) collect(b);
  }
}
collect(definition);

// An error as a Go Lambda reports it: Cause is the {"errorMessage","errorType"} payload.
function named(name, message) {
  const e = new Error(JSON.stringify({ errorMessage: message, errorType: name }));
  e.name = name;
  return e;
}

const sm = new StateMachine(definition, { validationOptions: { checkArn: false } });

function fixed() {
  const handlers = {};
  for (const [name, value] of Object.entries(results)) handlers[name] = async () => value;
  return handlers;
}
const fixedHandlers = results ? fixed() : null; // built once: the warm run pays for nothing but the execution

async function once() {
  if (results) {
    const execution = sm.run(input, { overrides: { waitTimeOverrides, retryIntervalOverrides, taskResourceLocalHandlers: fixedHandlers }, context });
    return execution.result;
  }
  let screenCalls = 0;
  const taskResourceLocalHandlers = {
    Screen: async () => {
      screenCalls++;
      if (screenCalls === 1) throw named('TransientError', 'store briefly unavailable');
      return { Payload: { next: 'rating', calls: screenCalls }, StatusCode: 200 };
    },
    Ask: async (p) => {
      if (p.agency === 'police') throw named('AgencyUnavailable', 'agency police did not answer');
      return { agency: p.agency, answered: true, index: p.index };
    },
    Notify: async () => ({ Payload: { sent: ['referrer', 'school'] }, StatusCode: 200 }),
    Escalate: async () => { throw named('ConsentRequired', 'consent is required'); },
  };
  const execution = sm.run(input, { overrides: { waitTimeOverrides, retryIntervalOverrides, taskResourceLocalHandlers } });
  return execution.result;
}

let output;
for (let i = 0; i < warmup; i++) output = await once();
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) output = await once();
const ns = Number(process.hrtime.bigint() - t0) / n;
const cpu = process.cpuUsage(cpu0); // µs of CPU, every thread of the process (the GC's too)
process.stdout.write(JSON.stringify({ nsPerOp: ns, cpuNsPerOp: ((cpu.user + cpu.system) * 1000) / n, output }));
