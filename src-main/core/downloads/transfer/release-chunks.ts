/**
 * Frees the memory of socket chunks once they are on disk, instead of leaving it to the garbage collector.
 *
 * Node copies every piece of a response body into a Buffer with an ArrayBuffer of its own (about 64 KiB). Left
 * to V8, dead ones pile up between collections: buffers that lived through a write were promoted and wait for a
 * full mark-compact, which external memory triggers only every few tens of MiB. Downloading 4 GiB in 4 segments,
 * 30 to 75 MiB of dead chunks were held at any time and peak RSS was 177 MiB; detaching each chunk's
 * ArrayBuffer as its write completes (ArrayBuffer.prototype.transfer(0) drops the old memory at once) brought it
 * to 131 MiB.
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
