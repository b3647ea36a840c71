/**
 * The containers of a stack with their health as the engine has it, and the output of each one's
 * last healthcheck (`State.Health.Log`): what the recreate gate and the checks step name when a
 * container is not healthy — compose's own `--wait` says only "application not healthy after
 * 2m0s". Judging it is source/health.ts's.
 */
import type Docker from 'dockerode';
import {probeLabel, type ContainerHealth, type HealthDetail} from '../domain.js';
import {engineError, statusOf, type Engine} from './docker.js';
import {stackIdentity} from './stack-labels.js';

/** Longest health output kept: enough for "wget: can't connect to remote host: Connection refused" and a URL. */
const outputLimit = 200;

/** The last healthcheck's output, on one line, cut to ~200 characters; undefined when there is none. */
export function lastHealthOutput(log: Array<{Output?: string}> | null | undefined): string | undefined {
	const output = (log?.at(-1)?.Output ?? '').replace(/\s+/g, ' ').trim();
	if (!output) return undefined;
	return output.length > outputLimit ? `${output.slice(0, outputLimit - 1)}…` : output;
}

/** Every container of `project` but netmigrate's probes: its state, health, exit code and restart policy, and its last health output. */
export async function healthDetails(engine: Engine, project: string): Promise<HealthDetail[]> {
	const summaries = await engine.listSummaries(project);
	const details = await Promise.all(
		summaries
			.filter((summary) => !summary.Labels?.[probeLabel])
			.map(async (summary) => {
				try {
					return detailOf(await engine.docker.getContainer(summary.Id).inspect());
				} catch (error) {
					// Removed between the list and the inspect (a recreate's old container): not part of the stack now.
					if (statusOf(error) === 404) return undefined;
					throw engineError(error, `inspecting container ${summary.Id.slice(0, 12)}`);
				}
			}),
	);
	return details.filter((detail): detail is HealthDetail => detail !== undefined);
}

function detailOf(raw: Docker.ContainerInspectInfo): HealthDetail {
	const identity = stackIdentity(raw.Config.Labels ?? {});
	const lastOutput = lastHealthOutput(raw.State.Health?.Log);
	return {
		container: raw.Name.replace(/^\//, ''),
		...(identity.service ? {service: identity.service} : {}),
		...(identity.slot ? {slot: identity.slot} : {}),
		state: raw.State.Status,
		health: (raw.State.Health?.Status as ContainerHealth | undefined) ?? 'none',
		// As toContainerInfo reads them: an exited container's code and restart policy tell a finished one-shot.
		...(raw.State.Status === 'exited' ? {exitCode: raw.State.ExitCode, restartPolicy: raw.HostConfig.RestartPolicy?.Name ?? 'no'} : {}),
		...(lastOutput ? {lastOutput} : {}),
	};
}

/** A healthcheck's rhythm as the engine has it (nanoseconds in the API; milliseconds here); undefined for a container without one. */
export type HealthRhythm = {intervalMs: number; retries: number; startPeriodMs: number; startIntervalMs: number};

/** The healthcheck rhythm of each service of `project` that has one, read from its current container. */
export async function healthRhythms(engine: Engine, project: string, services: string[]): Promise<Map<string, HealthRhythm>> {
	const rhythms = new Map<string, HealthRhythm>();
	const summaries = (await engine.listSummaries(project)).filter((summary) =>
		services.includes(stackIdentity(summary.Labels ?? {}).service ?? ''),
	);
	for (const summary of summaries) {
		const service = stackIdentity(summary.Labels ?? {}).service as string;
		const inspected = await engine.docker
			.getContainer(summary.Id)
			.inspect()
			.catch(() => undefined);
		const check = inspected?.Config.Healthcheck as
			| {Test?: string[]; Interval?: number; Retries?: number; StartPeriod?: number; StartInterval?: number}
			| undefined;
		if (!check?.Test || check.Test[0] === 'NONE') continue;
		// The engine's defaults where the compose file gives none: 30 s interval, 3 retries, no start period.
		const ms = (ns: number | undefined, fallback: number) => (ns ? ns / 1e6 : fallback);
		rhythms.set(service, {
			intervalMs: ms(check.Interval, 30_000),
			retries: check.Retries || 3,
			startPeriodMs: ms(check.StartPeriod, 0),
			startIntervalMs: ms(check.StartInterval, 5_000),
		});
	}
	return rhythms;
}
