/**
 * What is wrong with an error response, or undefined when it is a clear client error: a 4xx whose
 * JSON body names the error in one of the shapes the services speak — OAuth (`error` +
 * `error_description`), the REST envelope (`status: "error"`, `code`, `message`) or JSON-RPC
 * (`error.code` + `error.message`).
 */
export async function unclearError(response: Response): Promise<string | undefined> {
  const text = await response.text();
  const where = `${response.status} ${text.slice(0, 300)}`;
  if (response.status < 400 || response.status >= 500) return `not a 4xx: ${where}`;
  if (response.status === 405) return undefined; // Allow header says it all; /mcp adds a JSON-RPC error
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${where}`;
  }
  return isClear(body) ? undefined : `no clear error in the body: ${where}`;
}

function isClear(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (text(b.error) && text(b.error_description)) return true;
  if (b.status === 'error' && text(b.code) && text(b.message)) return true;
  const rpc = b.error as Record<string, unknown> | undefined;
  return (
    b.jsonrpc === '2.0' && typeof rpc === 'object' && rpc !== null && typeof rpc.code === 'number' && text(rpc.message)
  );
}
