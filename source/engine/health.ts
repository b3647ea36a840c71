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
