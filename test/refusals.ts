// How tests check a refusal: a plain Error (never a TypeError or the like from deep
// inside) whose message holds every given text or pattern.
import assert from 'node:assert/strict';

export async function refused(work: Promise<unknown>, ...patterns: (RegExp | string)[]): Promise<void> {
  await assert.rejects(work, (err: Error) => {
    assert.equal(err.constructor, Error, `a ${err.constructor.name}: ${err.message}`);
    for (const p of patterns) {
      if (typeof p === 'string') assert.ok(err.message.includes(p), `"${p}" is not in: ${err.message}`);
      else assert.match(err.message, p);
    }
    return true;
  });
}
