/**
 * A few at a time: independent engine reads (the reachability probes, a rollback's inspects, an
 * iteration's checks) run side by side, so a 200-service stack is not read one request after
 * another, yet bounded, so neither the engine nor a busy host is flooded. It imports nothing of the
 * project, so every layer, the engine adapter included, may use it.
 */

/**
 * `work` on every item, at most `concurrency` at once, started in the items' order; the results
 * come back in the items' order, not the order they finished in. The first failure rejects at
 * once; the other workers still go on through the rest of the items (nothing is cancelled midway).
 */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
	// The items as given: a caller changing its list meanwhile changes nothing here.
	const queue = [...items];
	const results: R[] = new Array(queue.length);
	let next = 0;
	const worker = async () => {
		while (next < queue.length) {
			const index = next++;
			results[index] = await work(queue[index] as T);
		}
	};
	await Promise.all(Array.from({length: Math.min(concurrency, queue.length)}, worker));
	return results;
}
