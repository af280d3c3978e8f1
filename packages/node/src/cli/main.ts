// The `resock` command: a wscat with a retry policy, and tools for policy files.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { InvalidOptionsError, isInvalidPolicyError } from '@resock/core';
import { connect, exitCodes } from './connectCommand';
import { policyCheck, policyExplain, UsageError } from './policyCommands';
import { printable } from './printable';

const usage = `Usage:
  resock connect <url> [--policy <file.json|preset|'{…}'>] [--header "name: value"]... [--protocol <p>]...
                       [--heartbeat <ms>] [--json]
      Connects and stays connected by the policy. Each stdin line is sent; each message is
      printed on stdout; lifecycle lines go to stderr (all JSON lines on stdout with --json).
      stdin is read only as fast as lines can go. When stdin ends, lines still queued go out
      with the next connection, and it exits once the server has confirmed them (a pong to a
      ping sent after them, or a clean close it began) and the close is done.
      Ctrl-C (or SIGTERM) closes with 1000; while the last lines wait for their confirmation,
      or again while closing, it cuts the connection.
      Exit status: 0 closed (stdin ended, Ctrl-C) with nothing lost, 1 lines dropped or perhaps
      lost (a connection ended before the server confirmed them; the upload stalled 10 s) or an
      error, 2 bad usage, 3 the policy gave up.
  resock policy check <file.json|'{…}'>
      Validates a policy file (or the JSON given) and prints every problem with its path (exit 1
      if any).
  resock policy explain <file.json|preset|'{…}'> <code|status>
      Says what the policy does after a close code (e.g. 1012) or handshake status (e.g. 429).
  resock --version`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      // multiple, so that a second one is refused rather than silently replacing the first
      policy: { type: 'string', multiple: true },
      header: { type: 'string', multiple: true },
      protocol: { type: 'string', multiple: true },
      heartbeat: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    // The installed package's own: what a bug report should quote.
    const { version } = createRequire(import.meta.url)('@resock/node/package.json') as { version: string };
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  // What a policy file says (rule names, descriptions, unknown keys) is printed, not obeyed.
  const say = (line: string) => process.stdout.write(`${printable(line, true)}\n`);
  if (values.help || !command) {
    say(usage);
    return values.help ? 0 : exitCodes.usage;
  }
  // An argument nobody reads is refused, not dropped: `--header Authorization: Bearer abc`
  // (quotes forgotten) would otherwise connect with an empty header.
  const only = (count: number) => {
    // Counted, not quoted: an unquoted header's value (a token) would land in the scrollback.
    const extra = rest.length - count;
    if (extra > 0)
      throw new UsageError(`${extra} unexpected argument${extra === 1 ? '' : 's'} (a value with spaces needs quotes)`);
  };
  const single = (name: 'policy' | 'heartbeat') => {
    const given = values[name];
    if (given && given.length > 1) throw new UsageError(`--${name} given ${given.length} times`);
    return given?.[0];
  };
  const policy = single('policy');
  const heartbeat = single('heartbeat');
  if (policy === '') throw new UsageError("--policy expects a file, a preset's name or the policy's JSON");
  if (command === 'policy') {
    // A reader that has gone (`| head -1`) has what it wanted: no EPIPE stack trace, no exit 1.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit();
    });
    const given = Object.entries(values).filter(([name, value]) => name !== 'help' && value !== undefined);
    if (given.length) throw new UsageError(`policy ${rest[0] ?? ''} takes no options (--${given[0]?.[0]})`);
  }
  if (command === 'connect') {
    const [url] = rest;
    if (!url) throw new UsageError('connect needs a URL');
    only(1);
    const heartbeatMs = heartbeat === undefined ? undefined : Number(heartbeat);
    // Digits only: Number('') and Number(' ') are 0, which would turn the heartbeat off unasked.
    if (heartbeatMs !== undefined && !(/^\d+$/.test(heartbeat ?? '') && Number.isSafeInteger(heartbeatMs))) {
      throw new UsageError('--heartbeat expects milliseconds (0 turns it off)');
    }
    return connect({
      url,
      ...(policy ? { policy } : {}),
      headers: values.header ?? [],
      protocols: values.protocol ?? [],
      ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
      json: values.json ?? false,
    });
  }
  if (command === 'policy' && rest[0] === 'check' && rest[1]) {
    only(2);
    return policyCheck(rest[1], say);
  }
  if (command === 'policy' && rest[0] === 'explain' && rest[1] && rest[2]) {
    only(3);
    return policyExplain(rest[1], rest[2], say);
  }
  // Not quoted: a header's value given without --header (a token) would land in the scrollback.
  throw new UsageError('unknown command (expected connect, policy check or policy explain)');
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (
    error instanceof UsageError ||
    isInvalidPolicyError(error) ||
    error instanceof InvalidOptionsError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    // The one line that says what is wrong, not buried under the whole usage.
    process.stderr.write(`resock: ${printable((error as Error).message, true)}\n(resock --help shows the usage)\n`);
    process.exitCode = exitCodes.usage;
  } else {
    process.stderr.write(`resock: ${printable((error as Error).stack ?? String(error), true)}\n`);
    process.exitCode = exitCodes.error;
  }
}
