/**
 * Connectivity probes. A short-lived container shares the source container's network
 * namespace (`--network container:<id>`), so a check sees exactly what the service sees even
 * when its image has no shell or tools. It runs the busybox image (imported offline) or an
 * image the operator names with --probe-image.
 */
import {probeLabel} from '../domain.js';
import type {Engine} from './docker.js';
import {ensureBusyboxImage} from './image.js';


export type ProbeOutcome = {
	connected: boolean;
	httpStatus?: number;
	latencyMs?: number;
	detail: string;
};

export class Prober {
	private readonly probes = new Map<string, Promise<string>>();
	private image?: string | Promise<string>;

	constructor(private readonly engine: Engine, private readonly probeImage?: string) {}

	/** TCP connect (its time is the latency, measured inside the namespace) and, when open, the HTTP status line. */
	async probe(sourceContainerId: string, address: string, port: number, timeoutSeconds: number): Promise<ProbeOutcome> {
		const probe = await this.probeFor(sourceContainerId);
		const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
		// TCP first: a closed or filtered port costs one timeout, not two. Only an open port is
		// asked over HTTP, whose status tells a firewall's 403 or a proxy's 5xx from a real answer.
		// busybox date has no %N; ts prints the epoch with microseconds.
		const script = [
			't0=$(echo | ts "%.s")',
			`if ! timeout ${timeoutSeconds} nc "$2" "$3" </dev/null >/dev/null 2>&1; then echo tcp=closed; exit 0; fi`,
			't1=$(echo | ts "%.s")',
			'awk -v a="$t0" -v b="$t1" \'BEGIN { printf "ms=%.1f\\n", (b - a) * 1000 }\'',
			'echo tcp=open',
			`timeout ${timeoutSeconds} wget -S -O /dev/null "$1" 2>&1 | grep -m1 "HTTP/" || true`,
		].join('\n');
		const result = await this.engine.exec(probe, ['sh', '-c', script, 'probe', url, address, String(port)], (timeoutSeconds * 2 + 10) * 1000);
		const latency = /ms=([\d.]+)/.exec(result.output)?.[1];
		const status = /HTTP\/[\d.]+ (\d{3})/.exec(result.output)?.[1];
		const tcpOpen = /tcp=open/.test(result.output);
		const detail = result.output.split('\n').filter((line) => line && !line.startsWith('ms=')).join(' ').trim();
		return {
			connected: status !== undefined || tcpOpen,
			...(status ? {httpStatus: Number(status)} : {}),
			...(latency ? {latencyMs: Number(latency)} : {}),
			detail,
		};
	}

	/** Resolves a name with the source's resolver (Docker's embedded DNS for its networks). */
	async resolve(sourceContainerId: string, name: string): Promise<string[]> {
		const probe = await this.probeFor(sourceContainerId);
		const result = await this.engine.exec(probe, ['sh', '-c', 'timeout 3 nslookup "$1" 2>/dev/null', 'resolve', name], 10_000);
		const answer = result.output.split(/Name:\s/).slice(1).join('\n');
		return [...answer.matchAll(/Address(?:\s\d+)?:\s*([0-9a-f.:]+)/gi)].map((match) => match[1] as string);
	}

	async close(): Promise<void> {
		await Promise.all([...this.probes.values()].map(async (id) => this.engine.docker.getContainer(await id.catch(() => '')).remove({force: true}).catch(() => undefined)));
		this.probes.clear();
	}

	/** Removes probe containers a crashed run left behind. */
	static async sweep(engine: Engine): Promise<void> {
		const stale = await engine.docker.listContainers({all: true, filters: {label: [`${probeLabel}=1`]}});
		await Promise.all(stale.map(async (container) => engine.docker.getContainer(container.Id).remove({force: true}).catch(() => undefined)));
	}

	/** One probe per source namespace, shared by concurrent checks from that source. */
	private async probeFor(sourceContainerId: string): Promise<string> {
		let probe = this.probes.get(sourceContainerId);
		if (!probe) {
			probe = this.startProbe(sourceContainerId);
			this.probes.set(sourceContainerId, probe);
		}
		return probe;
	}

	private async startProbe(sourceContainerId: string): Promise<string> {
		this.image ??= this.probeImage ?? ensureBusyboxImage(this.engine.docker);
		const container = await this.engine.docker.createContainer({
			Image: await this.image,
			Cmd: ['sh', '-c', 'exec sleep 600'],
			Labels: {[probeLabel]: '1'},
			HostConfig: {NetworkMode: `container:${sourceContainerId}`, AutoRemove: true},
		});
		await container.start();
		return container.id;
	}
}
