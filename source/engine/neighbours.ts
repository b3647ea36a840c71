/**
 * The host's neighbour (ARP) table, which the reachability matrix must not overflow. Every network
 * namespace on a host shares one kernel table: a connect to an address on the source's own bridge
 * makes an entry for the target in the source's namespace and, from the ARP request, one for the
 * source in the target's, so a flat network of N containers probed pair by pair makes about 2·N²
 * entries. At gc_thresh3 (1024 by default) the kernel refuses a new entry unless it can free an
 * old one — "neighbour: arp_cache: neighbor table overflow!" — and then every namespace on the
 * host, the stack's own services and the host itself, drops packets to peers it has not met yet.
 * An entry cannot be freed while its timer runs: for its reachable time (15 to 45 s, from
 * base_reachable_time 30 s) and 5 s after it turns stale. Measured on a 200-service stack: eight
 * sources at once overflowed the table within seconds and every connect after failed; paced at
 * 384 and then 192 new entries every 5 s (freeable after 5 s, it was thought) the table sat at
 * its ceiling and overflowed again (about 26 new entries a second, counted by the kernel). So the
 * matrix counts one entry per on-link connect (the pair's other direction finds both entries made:
 * over a whole matrix that is exact, within a window it may be under by half) and makes at most
 * half of gc_thresh3 every 50 s, the rest left to the host's own traffic: a stack's first 512 at
 * once, which covers the example stack even on its flat legacy network (a first version counted
 * two and allowed three quarters, and made the example's iteration 1 wait a window), then about
 * 10 a second, some 14 by the kernel's count. Rechecks are not counted: they reconnect to
 * addresses tried seconds before, whose entries are still there. A large flat stack takes its time
 * at the defaults: `paceEstimateMs` says how long before it starts and `paceAdvice` names the
 * sysctls that hosts of hundreds of containers commonly raise. The thresholds are readable only from the host's initial
 * network namespace (a netmigrate run inside another, as the tests' is, assumes the defaults).
 */
import {readFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import type {Prober} from './probe.js';

export type NeighbourLimits = {gcThresh2: number; gcThresh3: number};

/** Linux's defaults, assumed where the host's cannot be read. */
export const defaultNeighbourLimits: NeighbourLimits = {gcThresh2: 512, gcThresh3: 1024};

const thresholdFiles = ['/proc/sys/net/ipv4/neigh/default/gc_thresh2', '/proc/sys/net/ipv4/neigh/default/gc_thresh3'];

/** How long a new entry may stay unfreeable: its longest reachable time, 45 s, and 5 s stale. */
export const neighbourWindowMs = 50_000;

/** New entries the matrix may make every 50 s under `limits`: half the table. */
export function neighboursPerWindow(limits: NeighbourLimits): number {
	return Math.max(32, Math.floor(limits.gcThresh3 / 2));
}

/** The least time the pace needs for entries costing `cost` in all: a window for each full share after the first. */
export function paceEstimateMs(cost: number, perWindow: number): number {
	return Math.max(0, Math.ceil(cost / perWindow) - 1) * neighbourWindowMs;
}

/** gc_thresh2 and gc_thresh3 as `cat` prints them, one a line; Linux's defaults where they make no sense. */
export function parseNeighbourLimits(text: string | undefined): NeighbourLimits {
	const [two, three] = (text ?? '')
		.trim()
		.split(/\s+/)
		.map((word) => Number.parseInt(word, 10));
	if (!two || !three || !(two > 0) || !(three > two)) return defaultNeighbourLimits;
	return {gcThresh2: two, gcThresh3: three};
}

/**
 * The engine host's thresholds: this machine's for a local engine (the sysctls are the host's,
 * whatever namespace reads them), else read by a short-lived container on the host's network.
 */
export async function neighbourLimits(prober: Prober, local: boolean): Promise<NeighbourLimits> {
	if (!local) return parseNeighbourLimits(await prober.readOnHost(thresholdFiles).catch(() => undefined));
	try {
		return parseNeighbourLimits(thresholdFiles.map((file) => readFileSync(file, 'utf8')).join('\n'));
	} catch {
		return defaultNeighbourLimits;
	}
}

/**
 * The neighbour entries a batch of connects from one namespace counts for: one for each distinct
 * target address on a network the source is on too (reached on its own bridge: the target's entry
 * here; the source's there is counted when the target connects back), and one for the gateway
 * that carries all the others.
 */
export function neighbourCost(sourceNetworks: ReadonlySet<string>, targets: Array<{address: string; network: string}>): number {
	const onLink = new Set(targets.filter((target) => sourceNetworks.has(target.network)).map((target) => target.address));
	return onLink.size + 1;
}

/**
 * `items` in order, cut into batches whose neighbour cost (`neighbourCost`) stays within
 * `perWindow`; an item whose address is already in its batch costs nothing more.
 */
export function neighbourBatches<T extends {address: string; network: string}>(
	sourceNetworks: ReadonlySet<string>,
	items: T[],
	perWindow: number,
): T[][] {
	const batches: T[][] = [];
	let batch: T[] = [];
	let onLink = new Set<string>();
	for (const item of items) {
		const adds = sourceNetworks.has(item.network) && !onLink.has(item.address);
		if (adds && onLink.size + 2 > perWindow && batch.length > 0) {
			batches.push(batch);
			batch = [];
			onLink = new Set();
		}
		batch.push(item);
		if (adds) onLink.add(item.address);
	}
	if (batch.length > 0) batches.push(batch);
	return batches;
}

/**
 * At most `perWindow` new neighbour entries in any 50 s: `take(cost)` resolves once the entries
 * taken in the last window leave room for `cost` (a cost over the whole window waits for an empty
 * one). `waitedMs` is the time callers spent waiting, summed.
 */
export class NeighbourPace {
	waitedMs = 0;
	private readonly taken: Array<{at: number; cost: number}> = [];

	constructor(
		readonly perWindow: number,
		private readonly now: () => number = () => performance.now(),
		private readonly wait: (ms: number) => Promise<unknown> = sleep,
	) {}

	async take(cost: number): Promise<void> {
		const want = Math.min(cost, this.perWindow);
		for (;;) {
			const at = this.now();
			while (this.taken.length > 0 && (this.taken[0] as {at: number}).at <= at - neighbourWindowMs) this.taken.shift();
			const inWindow = this.taken.reduce((sum, item) => sum + item.cost, 0);
			if (inWindow + want <= this.perWindow) {
				this.taken.push({at, cost: want});
				return;
			}
			// The oldest entry leaves the window first; room may come sooner for a smaller cost, but not before it.
			const until = (this.taken[0] as {at: number}).at + neighbourWindowMs - at;
			await this.wait(until);
			this.waitedMs += until;
		}
	}
}

/**
 * What to tell the operator before a matrix the pace will hold back noticeably (over 10 s): about
 * how long, why, and sysctls that give it room — gc_thresh3 large enough that the matrix's `cost`
 * in entries fits in one share, half of it (a power of two, at least 8192, never less
 * than the host has), gc_thresh2 half of it. Nothing when it will hardly wait.
 */
export function paceAdvice(estimateMs: number, limits: NeighbourLimits, cost: number): string | undefined {
	if (estimateMs < 10_000) return undefined;
	const three = Math.max(limits.gcThresh3, 8192, 2 ** Math.ceil(Math.log2(cost * 2)));
	const two = Math.max(limits.gcThresh2, three / 2);
	return `probing every pair takes about ${formatMinutes(estimateMs)} at the pace the host's neighbour table allows (gc_thresh3 ${limits.gcThresh3}; overflowing it would drop every container's packets to new peers); on the engine's host, \`sysctl -w net.ipv4.neigh.default.gc_thresh2=${two} net.ipv4.neigh.default.gc_thresh3=${three}\` gives it room (hosts of hundreds of containers commonly raise both)`;
}

function formatMinutes(ms: number): string {
	return ms < 90_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
