import { createClient, InvalidOptionsError, nodeTransport, ReconnectingWebSocket } from '@resock/node';
import { describe, expect, it } from 'vitest';

/** The problem paths of nodeTransport(options), or 'accepted'. */
function problemsOf(options: Parameters<typeof nodeTransport>[0]): string[] | 'accepted' {
  try {
    nodeTransport(options);
  } catch (error) {
    if (!(error instanceof InvalidOptionsError)) throw error;
    return error.problems.map((p) => p.path);
  }
  return 'accepted';
}

// Each of these would otherwise throw inside ws at every attempt, for ever: refused at the call.
describe('nodeTransport(): what ws would refuse at every attempt is refused at once', () => {
  const injected = 'https://app.example\r\nX-Injected: 1';

  it('a header name or value Node cannot send', () => {
    expect(problemsOf({ headers: { 'X Bad': '1', Origin: injected } })).toEqual([
      'headers["X Bad"]',
      'headers["Origin"]',
    ]);
  });

  it('an origin Node cannot send (ws sends it as the Origin header)', () => {
    expect(problemsOf({ origin: injected })).toEqual(['origin']);
  });

  it('a protocol version ws does not speak', () => {
    expect(problemsOf({ protocolVersion: 7 })).toEqual(['protocolVersion']);
  });

  it('headers of another shape than an object of names and values (a Headers or a Map sent none: the credentials lost)', () => {
    for (const headers of [
      'Authorization: x',
      [['authorization', 'x']],
      new Headers({ a: 'b' }),
      new Map([['a', 'b']]),
    ])
      expect(problemsOf({ headers } as never)).toEqual(['headers']);
    expect(problemsOf({ headers: Object.create(null) })).toBe('accepted');
  });

  it('a maxPayload below 0 (ws reads it as no cap) and a handshakeTimeout that is no duration; options that are no object', () => {
    expect(problemsOf({ maxPayload: -1, handshakeTimeout: 'x' as never })).toEqual(['maxPayload', 'handshakeTimeout']);
    expect(problemsOf({ maxPayload: 0, handshakeTimeout: 5000 })).toBe('accepted');
    // Past 32 bits: ws keeps 2³² as 0 (no cap), and throws on an Infinity timeout at every attempt.
    expect(problemsOf({ maxPayload: 2 ** 32, handshakeTimeout: Number.POSITIVE_INFINITY })).toEqual([
      'maxPayload',
      'handshakeTimeout',
    ]);
    expect(problemsOf('ws://127.0.0.1/' as never)).toEqual(['(root)']);
  });

  it('accepts what ws sends', () => {
    expect(
      problemsOf({ headers: { Authorization: 'Bearer x' }, origin: 'https://app.example', protocolVersion: 8 }),
    ).toBe('accepted');
  });
});

describe('createClient(): a ws option given to the client says where it goes', () => {
  it('headers, origin, maxPayload …: an InvalidOptionsError naming nodeTransport({ … }), before any dial', () => {
    const options = { url: 'ws://127.0.0.1:9/', headers: { Authorization: 'Bearer x' }, maxPayload: 1024 };
    const create = () => createClient(options as Parameters<typeof createClient>[0]);
    expect(create).toThrow(InvalidOptionsError);
    expect(create).toThrow(
      /headers: an option of the ws transport: pass it as transport: nodeTransport\(\{ headers \}\)/,
    );
    expect(create).toThrow(/maxPayload: .*nodeTransport\(\{ maxPayload \}\)/);
    const facade = () => new ReconnectingWebSocket('ws://127.0.0.1:9/', undefined, { origin: 'x' } as never);
    expect(facade).toThrow(/origin: .*nodeTransport\(\{ origin \}\)/);
  });
});
