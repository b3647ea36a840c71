/**
 * `netmigrate verify`'s observer on a real engine: a prober of its own, its stack's leftover
 * probes swept before and its own closed after, around the probing every iteration's checks
 * step shares (source/observe-stack.ts).
 */
import {Engine} from './engine/docker.js';
import {Prober} from './engine/probe.js';
import {observeStack} from './observe-stack.js';
import type {Observe} from './verify.js';

/** `say`: where a note about the probing goes (the neighbour table's pace): the CLI's stderr. */
export function engineObserver(host: string, probeImage?: string, say?: (line: string) => void): Observe {
	return async (loaded, stack) => {
		const engine = new Engine(host);
		const project = loaded.project.projectName;
		const prober = new Prober(engine, project, probeImage);
		await Prober.sweep(engine, project);
		try {
			await prober.prepare();
			return (await observeStack(engine, prober, project, stack, host.startsWith('unix://'), {...(say ? {say} : {})})).pairs;
		} finally {
			await prober.close();
		}
	};
}
