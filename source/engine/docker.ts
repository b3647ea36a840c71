/**
 * The Docker Engine, through dockerode: the only place that speaks the engine API.
 * Results come back as plain data in netmigrate's words; engine errors become
 * NetmigrateErrors with a hint (see `engineError`).
 */
import {PassThrough} from 'node:stream';
import Docker from 'dockerode';
import {
	probeLabel,
	type ContainerHealth,
	type ContainerInfo,
	type NetworkEndpoint,
	type NetworkInfo,
	type NetworkSpec,
	type RunningContainer,
} from '../domain.js';
import {NetmigrateError} from '../errors.js';
import {connectionOptions} from './endpoint.js';
import {toContainerInfo, toNetworkInfo} from './inspected.js';
import {stackFilters, stackIdentity} from './stack-labels.js';

export type ExecResult = {exitCode: number; output: string};

export class Engine {
	readonly docker: Docker;

	constructor(readonly host: string) {
		this.docker = dockerFor(host);
	}

	async version(): Promise<{version: string; apiVersion: string}> {
		const version = await this.call('reading the engine version', async () => this.docker.version());
		return {version: version.Version, apiVersion: version.ApiVersion};
	}

	async listNetworks(): Promise<NetworkInfo[]> {
		const summaries = await this.call('listing networks', async () => this.docker.listNetworks());
		const networks = await Promise.all(summaries.map(async (summary) => this.inspectNetwork(summary.Id)));
		return networks.filter((network): network is NetworkInfo => network !== undefined);
	}

	/** Every network's name and settings, from the list endpoint alone: one request, no members. */
	async listNetworkSpecs(): Promise<NetworkSpec[]> {
		const summaries = await this.call('listing networks', async () => this.docker.listNetworks());
		return summaries.map((summary) => {
			const {subnet, gateway} = toNetworkInfo(summary);
			return {
				name: summary.Name,
				subnet,
				...(gateway ? {gateway} : {}),
				internal: summary.Internal,
				driver: summary.Driver,
				labels: summary.Labels ?? {},
			};
		});
	}

	async inspectNetwork(nameOrId: string): Promise<NetworkInfo | undefined> {
		try {
			return toNetworkInfo(await this.docker.getNetwork(nameOrId).inspect());
		} catch (error) {
			if (statusOf(error) === 404) return undefined;
			throw engineError(error, `inspecting network ${nameOrId}`);
		}
	}

	async createNetwork(spec: NetworkSpec): Promise<void> {
		await this.call(`creating network ${spec.name}`, async () =>
			this.docker.createNetwork({
				Name: spec.name,
				Driver: spec.driver,
				Internal: spec.internal,
				CheckDuplicate: true,
				Labels: spec.labels,
				...(spec.attachable ? {Attachable: true} : {}),
				...(spec.encrypted ? {Options: {encrypted: ''}} : {}),
				IPAM: {Driver: 'default', Config: [{Subnet: spec.subnet, ...(spec.gateway ? {Gateway: spec.gateway} : {})}]},
			}),
		);
	}

	async removeNetwork(name: string): Promise<void> {
		await this.call(`removing network ${name}`, async () => this.docker.getNetwork(name).remove());
	}

	/** `ipv4`/`ipv6`: addresses to pin (IPAMConfig), as compose's `ipv4_address` does; else the engine picks one. */
	async connect(
		network: string,
		container: string,
		options: {aliases: string[]; ipv4?: string; ipv6?: string; gwPriority?: number} & NetworkEndpoint['rest'],
	): Promise<void> {
		const pinned = {
			...(options.ipv4 ? {IPv4Address: options.ipv4} : {}),
			...(options.ipv6 ? {IPv6Address: options.ipv6} : {}),
			...(options.linkLocalIPs ? {LinkLocalIPs: options.linkLocalIPs} : {}),
		};
		await this.call(`connecting ${container} to ${network}`, async () =>
			this.docker.getNetwork(network).connect({
				Container: container,
				EndpointConfig: {
					Aliases: options.aliases,
					...(Object.keys(pinned).length > 0 ? {IPAMConfig: pinned} : {}),
					...(options.gwPriority === undefined ? {} : {GwPriority: options.gwPriority}),
					...(options.links ? {Links: options.links} : {}),
					...(options.driverOpts ? {DriverOpts: options.driverOpts} : {}),
					...(options.macAddress ? {MacAddress: options.macAddress} : {}),
				},
			}),
		);
	}

	/** `force`: the engine drops the endpoint from a container's configuration even where it cannot find the network by that key. */
	async disconnect(network: string, container: string, force = false): Promise<void> {
		await this.call(`disconnecting ${container} from ${network}`, async () =>
			this.docker.getNetwork(network).disconnect({Container: container, Force: force}),
		);
	}

	/** Containers, all of them or those of one stack (a compose project's, running or not; a swarm stack's running tasks). */
	async listContainers(project?: string): Promise<ContainerInfo[]> {
		const summaries = await this.listSummaries(project);
		const containers = await Promise.all(summaries.map(async (summary) => this.inspectContainer(summary.Id)));
		return containers.filter((container): container is ContainerInfo => container !== undefined);
	}

	/** A project's containers with their service, state and networks, from the list endpoint alone: one request. */
	async listRunningContainers(project: string): Promise<Array<RunningContainer & {service?: string}>> {
		const summaries = await this.listSummaries(project);
		return summaries
			.filter((summary) => !summary.Labels?.[probeLabel])
			.map((summary) => ({
				name: (summary.Names[0] ?? summary.Id).replace(/^\//, ''),
				...(stackIdentity(summary.Labels ?? {}).service ? {service: stackIdentity(summary.Labels ?? {}).service as string} : {}),
				running: summary.State === 'running',
				networks: Object.keys(summary.NetworkSettings?.Networks ?? {}),
			}));
	}

	/** The list endpoint's summaries (labels, state, network mode): every container's, or one stack's. */
	async listSummaries(project?: string): Promise<Docker.ContainerInfo[]> {
		if (!project) return this.call('listing containers', async () => this.docker.listContainers({all: true}));
		const lists = await Promise.all(
			stackFilters(project).map(async (filters) =>
				this.call('listing containers', async () => this.docker.listContainers({all: true, filters})),
			),
		);
		return lists.flat();
	}

	async inspectContainer(nameOrId: string): Promise<ContainerInfo | undefined> {
		try {
			return toContainerInfo(await this.docker.getContainer(nameOrId).inspect());
		} catch (error) {
			if (statusOf(error) === 404) return undefined;
			throw engineError(error, `inspecting container ${nameOrId}`);
		}
	}

	/** Runs a command in a running container and collects its output (stdout and stderr). */
	async exec(container: string, command: string[], timeoutMs = 15_000): Promise<ExecResult> {
		return this.call(`running ${command[0] ?? 'a command'} in ${container}`, async () => {
			const exec = await this.docker.getContainer(container).exec({Cmd: command, AttachStdout: true, AttachStderr: true});
			const stream = await exec.start({hijack: true, stdin: false});
			const output = await collect(this.docker, stream, timeoutMs);
			const inspected = await exec.inspect();
			return {exitCode: inspected.ExitCode ?? -1, output};
		});
	}

	/** Waits until every container of a project is running and, where it has a healthcheck, healthy. */
	async waitUntilHealthy(project: string, expected: number, timeoutMs: number): Promise<ContainerInfo[]> {
		const deadline = Date.now() + timeoutMs;
		let containers: ContainerInfo[] = [];
		while (Date.now() < deadline) {
			containers = await this.listContainers(project);
			const ready = containers.filter((c) => c.state === 'running' && (c.health === 'healthy' || c.health === 'none'));
			if (containers.length >= expected && ready.length === containers.length) return containers;
			await sleep(250);
		}
		const waiting = containers.filter((c) => c.state !== 'running' || c.health === 'starting' || c.health === 'unhealthy');
		throw new NetmigrateError(
			`containers of project ${project} did not become healthy within ${Math.round(timeoutMs / 1000)} s: ` +
				(waiting.map((c) => `${c.name} (${c.state}, ${c.health})`).join(', ') || `found ${containers.length} of ${expected}`),
			{hint: "look at `docker ps` and the containers' logs; health checks must pass before netmigrate goes on"},
		);
	}

	async call<T>(doing: string, run: () => Promise<T>): Promise<T> {
		try {
			return await run();
		} catch (error) {
			throw engineError(error, doing);
		}
	}
}

export function dockerFor(host: string): Docker {
	return new Docker(connectionOptions(host));
}

async function collect(docker: Docker, stream: NodeJS.ReadWriteStream, timeoutMs: number): Promise<string> {
	const chunks: Buffer[] = [];
	const sink = new PassThrough();
	sink.on('data', (chunk: Buffer) => chunks.push(chunk));
	docker.modem.demuxStream(stream, sink, sink);
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			(stream as unknown as {destroy: () => void}).destroy();
			reject(new Error(`no answer within ${timeoutMs} ms`));
		}, timeoutMs);
		stream.on('end', () => {
			clearTimeout(timer);
			resolve();
		});
		stream.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
	return Buffer.concat(chunks).toString('utf8');
}

export function statusOf(error: unknown): number | undefined {
	return (error as {statusCode?: number}).statusCode;
}

function messageOf(error: unknown): string {
	const json = (error as {json?: {message?: string}}).json;
	if (json?.message) return json.message;
	return error instanceof Error ? error.message : String(error);
}

/** The engine went away (not started, restarted, socket gone): exit 4, and the run resumes later. */
export function engineUnreachable(why: string, doing: string): NetmigrateError {
	return new NetmigrateError(`the Docker engine is not answering (${why}) while ${doing}`, {
		hint: 'check that dockerd is running (`systemctl status docker`) and that --host/DOCKER_HOST names its socket; progress is saved, run the same command again to resume',
		code: 'engine-unreachable',
	});
}

/** Engine failures in the operator's words, with what to do about them. */
export function engineError(error: unknown, doing: string): NetmigrateError {
	if (error instanceof NetmigrateError) return error;
	const message = messageOf(error);
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') return engineUnreachable(code, doing);
	if (code === 'EACCES') {
		return new NetmigrateError(`permission denied on the Docker socket while ${doing}`, {
			hint: 'run as root or as a member of the docker group',
			code: 'engine-unreachable',
		});
	}
	if (/Pool overlaps with other one on this address space/i.test(message)) {
		return new NetmigrateError(`the engine refused the subnet while ${doing}: ${message}`, {
			hint: 'another network (or a host route such as a VPN) already uses this range: pick a free subnet in netmigrate.yml (`netmigrate init` proposes free ones)',
		});
	}
	if (/has active endpoints/i.test(message)) {
		return new NetmigrateError(`${message} (while ${doing})`, {
			hint: 'containers are still attached; netmigrate removes only networks it created once they are empty',
		});
	}
	return new NetmigrateError(`${doing} failed: ${message}`, {cause: error});
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}
