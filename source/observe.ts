/**
 * The observed half of `netmigrate verify` on a real engine: the stack's running namespaces, each
 * target's listeners and every source's connects (source/engine/reachability.ts), turned into the
 * matrix's pairs. A published port is tried on a source's gateway only for a pair the plan keeps
 * apart: that is the way around the networks the operator must hear about.
 */
import type {ObservedPair} from './plan/matrix.js';
import {Engine} from './engine/docker.js';
import {Prober} from './engine/probe.js';
import {observeReachability, stackNamespaces} from './engine/reachability.js';
import {intendedPairs} from './plan/intent.js';
import type {Observe} from './verify.js';

export function engineObserver(host: string, probeImage?: string): Observe {
	return async (loaded, stack) => {
		const engine = new Engine(host);
		const project = loaded.project.projectName;
		const prober = new Prober(engine, project, probeImage);
		await Prober.sweep(engine, project);
		const reachable = new Set(
			intendedPairs(stack)
				.filter((pair) => pair.via.length > 0)
				.map((pair) => `${pair.from}\u0000${pair.to}`),
		);
		try {
			await prober.prepare();
			const namespaces = await stackNamespaces(engine, project);
			const observation = await observeReachability(prober, namespaces, {
				local: host.startsWith('unix://'),
				apart: (from, to) => !reachable.has(`${from}\u0000${to}`),
				recheck: (from, to) => reachable.has(`${from}\u0000${to}`),
			});
			const pairs: ObservedPair[] = observation.connects.map((connect) => ({...connect}));
			for (const path of observation.hostPaths) {
				pairs.push({
					from: path.from,
					to: path.to,
					port: path.port,
					address: path.gateway,
					network: path.network,
					reachable: true,
					throughHost: true,
				});
			}
			return pairs;
		} finally {
			await prober.close();
		}
	};
}
