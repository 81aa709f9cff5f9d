/**
 * Frees the memory of socket chunks once they are on disk, instead of leaving it to the garbage collector.
 *
 * Node copies every piece of a response body into a Buffer with an ArrayBuffer of its own (about 64 KiB). Left
 * to V8, dead ones pile up between collections (a forced full collection every 100 ms did not keep up with
 * loopback speed): downloading 4 GiB in 4 segments, 30 to 75 MiB of ArrayBuffers were held against 8 MiB of
 * chunks in the batch writers, and peak RSS was 177 MiB. Detaching each chunk's ArrayBuffer as its write
 * completes (ArrayBuffer.prototype.transfer(0) drops the old memory at once) brought it to 131 MiB, and every
 * one of the 65,583 chunks of that download could be freed so.
 *
 * Only a chunk that is the whole of its ArrayBuffer is freed: a view into a larger one (a pooled small Buffer,
 * a slice) may share it with bytes someone else holds. The caller must own the chunks: nothing may read them
 * after this (a sink's write is done with them when its promise resolves; see TransferSink).
 */
export function releaseChunks(chunks: readonly Uint8Array[]): void {
  for (const chunk of chunks) {
    const memory = chunk.buffer;
    if (!(memory instanceof ArrayBuffer) || chunk.byteOffset !== 0 || chunk.byteLength !== memory.byteLength)
      continue;
    try {
      (memory as DetachableArrayBuffer).transfer(0);
    } catch {
      // Not detachable (memory node or a runtime keeps for itself): the garbage collector frees it as before.
    }
  }
}

/** ES2024's ArrayBuffer.prototype.transfer (Node 22+); the project's TypeScript lib is ES2023. */
interface DetachableArrayBuffer extends ArrayBuffer {
  transfer(newLength?: number): ArrayBuffer;
}
