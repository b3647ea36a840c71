/**
 * Connectivity probes. A short-lived container shares the source container's network
 * namespace (`--network container:<id>`), so a check sees exactly what the service sees even
 * when its image has no shell or tools. Its image is settled in preflight, before anything
 * changes (`prepare`): the operator's --probe-image, else a busybox the engine already has, else
 * one imported offline from a static busybox on this machine. Probes carry the stack's name, so
 * a run sweeps up only its own stack's leftovers, never another run's. The same probes read what
 * only the engine's host can tell about a remote engine (routes: `readInNamespace`,
 * `readOnHost`), and on a swarm a probe task stands in for a source on another node (probe-task.ts).
 */
import {probeLabel} from '../domain.js';
import {NetmigrateError} from '../errors.js';
import type {Engine} from './docker.js';
import {busyboxImage, ensureBusyboxImage, findStaticBusybox, hasImage} from './image.js';
import {probeOutcome, probeScript, resolvedAddresses, stackLabel, type ProbeOutcome} from './probe-script.js';
import {demultiplex, runProbeTask, type NodeProbe, type Vantage} from './probe-task.js';

export type {NodeProbe, ProbeOutcome, Vantage};

export class Prober {
	private readonly probes = new Map<string, Promise<string>>();
	private image?: string | Promise<string>;

	constructor(
		private readonly engine: Engine,
		private readonly stack: string,
		private readonly probeImage?: string,
	) {}

	/** The probe image, found or imported now: a check must never be the first to learn there is none. */
	async prepare(): Promise<string> {
		this.image ??= resolveProbeImage(this.engine, this.probeImage);
		return this.image;
	}

	/** TCP connect (its time is the latency, measured inside the namespace) and, when open, the HTTP status line. */
	async probe(sourceContainerId: string, address: string, port: number, timeoutSeconds: number): Promise<ProbeOutcome> {
		const probe = await this.probeFor(sourceContainerId);
		const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
		const result = await this.engine.exec(
			probe,
			['sh', '-c', probeScript(timeoutSeconds), 'probe', url, address, String(port)],
			(timeoutSeconds * 2 + 10) * 1000,
		);
		return probeOutcome(result.output);
	}

	/**
	 * On a swarm, from a source task on another node: a one-off probe task placed on that node and
	 * joined to the source's networks resolves the target's name and probes `address` (or, without
	 * one, the first address the name resolves to); its answer is read from its logs.
	 */
	async probeFromNode(
		vantage: Vantage,
		name: string,
		address: string | undefined,
		port: number,
		timeoutSeconds: number,
	): Promise<NodeProbe> {
		return runProbeTask(this.engine, {stack: this.stack, image: await this.prepare(), vantage, name, address, port, timeoutSeconds});
	}

	/** A file as the source's namespace shows it (`/proc/net/route`: its routes), read by its probe. */
	async readInNamespace(sourceContainerId: string, file: string): Promise<string | undefined> {
		const probe = await this.probeFor(sourceContainerId);
		const result = await this.engine.exec(probe, ['cat', file], 10_000);
		return result.exitCode === 0 ? result.output : undefined;
	}

	/**
	 * Files of the engine's host's network namespace (`/proc/net/route`: the host's routes), read
	 * by a short-lived container with the host's network, one after the other: true for an engine
	 * on another machine.
	 */
	async readOnHost(file: string | string[]): Promise<string | undefined> {
		const container = await this.engine.docker.createContainer({
			Image: await this.prepare(),
			Cmd: ['cat', ...[file].flat()],
			Labels: {[probeLabel]: '1', [stackLabel]: this.stack},
			HostConfig: {NetworkMode: 'host'},
		});
		try {
			await container.start();
			const {StatusCode} = (await container.wait()) as {StatusCode: number};
			const log = (await container.logs({stdout: true, stderr: false})) as unknown as Buffer;
			return StatusCode === 0 ? demultiplex(log) : undefined;
		} finally {
			await container.remove({force: true}).catch(() => undefined);
		}
	}

	/** A command in the source's namespace, by its probe; its output (the reachability matrix's connects). */
	async runInNamespace(sourceContainerId: string, command: string[], timeoutMs: number): Promise<string> {
		const probe = await this.probeFor(sourceContainerId);
		return (await this.engine.exec(probe, command, timeoutMs)).output;
	}

	/** Resolves a name with the source's resolver (Docker's embedded DNS for its networks). */
	async resolve(sourceContainerId: string, name: string): Promise<string[]> {
		const probe = await this.probeFor(sourceContainerId);
		const result = await this.engine.exec(probe, ['sh', '-c', 'timeout 3 nslookup "$1" 2>/dev/null', 'resolve', name], 10_000);
		return resolvedAddresses(result.output);
	}

	async close(): Promise<void> {
		await Promise.all(
			[...this.probes.values()].map(async (id) =>
				this.engine.docker
					.getContainer(await id.catch(() => ''))
					.remove({force: true})
					.catch(() => undefined),
			),
		);
		this.probes.clear();
	}

	/** Removes probe containers (and, on a swarm, probe tasks' services) a crashed run of this stack left behind. */
	static async sweep(engine: Engine, stack: string): Promise<void> {
		const filters = {label: [`${probeLabel}=1`, `${stackLabel}=${stack}`]};
		const stale = await engine.docker.listContainers({all: true, filters});
		await Promise.all(
			stale.map(async (container) =>
				engine.docker
					.getContainer(container.Id)
					.remove({force: true})
					.catch(() => undefined),
			),
		);
		// Listing services fails on an engine in no swarm: then there are none to sweep.
		const services = await engine.docker.listServices({filters}).catch(() => []);
		await Promise.all(
			services.map(async (service) =>
				engine.docker
					.getService(service.ID as string)
					.remove()
					.catch(() => undefined),
			),
		);
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
		const container = await this.engine.docker.createContainer({
			Image: await this.prepare(),
			Cmd: ['sh', '-c', 'exec sleep 600'],
			Labels: {[probeLabel]: '1', [stackLabel]: this.stack},
			HostConfig: {NetworkMode: `container:${sourceContainerId}`, AutoRemove: true},
		});
		await container.start();
		return container.id;
	}
}

const probeTools = 'sh, nc, wget, nslookup, timeout, awk and ts';

async function resolveProbeImage(engine: Engine, given: string | undefined): Promise<string> {
	if (given) {
		if (await hasImage(engine.docker, given)) return given;
		throw new NetmigrateError(`the probe image ${given} is not on the engine`, {
			hint: `pull it on the engine's host first (\`docker pull ${given}\`), or leave --probe-image out to use a busybox the engine has`,
			code: 'bad-input',
		});
	}
	if (await hasImage(engine.docker, busyboxImage)) return busyboxImage;
	const local = await engine.docker.listImages({filters: {reference: ['busybox', 'busybox:*']}});
	const tag = local.flatMap((image) => image.RepoTags ?? []).find((name) => name !== '<none>:<none>');
	if (tag) return tag;
	let busybox: string;
	try {
		busybox = findStaticBusybox();
	} catch {
		throw new NetmigrateError(
			'no probe image for the connectivity checks: the engine has no busybox image and this machine has no static busybox to import one from',
			{
				hint: `any of: \`docker pull busybox\` on the engine's host; pass --probe-image <an image with ${probeTools}>; or install a static busybox here (Debian: busybox-static) for an offline import`,
			},
		);
	}
	return ensureBusyboxImage(engine.docker, busyboxImage, busybox);
}
