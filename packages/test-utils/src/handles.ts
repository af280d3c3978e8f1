export interface HandleCounts {
  TCPSocketWrap: number;
  TCPServerWrap: number;
  Timeout: number;
}

/** How many TCP sockets, servers and timers keep the process alive: what a leak leaves behind. */
export function activeHandles(): HandleCounts {
  const all = process.getActiveResourcesInfo();
  const count = (name: string) => all.filter((resource) => resource === name).length;
  return { TCPSocketWrap: count('TCPSocketWrap'), TCPServerWrap: count('TCPServerWrap'), Timeout: count('Timeout') };
}
