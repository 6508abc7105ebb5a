import type { Gzip } from "../../ports/runtime";

/** gzip via CompressionStream (WKWebView iOS 16.4+, Android WebView 80+, Node 18+). Null where missing. */
export function compressionStreamGzip(): Gzip | null {
  const CS = (globalThis as { CompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> }).CompressionStream;
  if (!CS) return null;
  return async (data) => {
    const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CS("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
}
