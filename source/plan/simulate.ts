/**
 * What the engine's picture of the stack would be once planned actions ran, without running
 * them: `plan --iteration 3` plans iteration 3 from the picture iterations 1 and 2 would leave
 * (networks created, containers connected and disconnected, swarm services' networks and
 * environment updated). Pure: the picture given is not changed. File writes change no part of
 * the picture — the files' new texts travel beside it (see `reloadComposeProject`). A new action kind fails to compile here
 * until the picture knows what it does.
 */
import type {Action} from '../actions.js';
import type {ComposeModel} from '../compose/project.js';
import {withEnvValue, type Discovered, type RunningContainer, type SwarmService} from '../domain.js';

/**
 * `discovered` after `actions`, in order. `files`: the compose project as the actions' file
 * writes leave it — a recreated container comes back on the networks its files name.
 */
export function simulate(discovered: Discovered, actions: Action[], files?: ComposeModel): Discovered {
	const after: Discovered = {
		...discovered,
		networks: new Map(discovered.networks),
		containers: new Map([...discovered.containers].map(([service, containers]) => [service, containers.map((container) => ({...container, networks: [...container.networks]}))])),
		...(discovered.swarm ? {swarm: new Map([...discovered.swarm].map(([name, service]) => [name, {...service, networks: [...service.networks]}]))} : {}),
	};
	for (const action of actions) simulateOne(after, action, files);
	return after;
}

/** One action's effect on the picture (a copy `simulate` owns). */
function simulateOne(picture: Discovered, action: Action, files: ComposeModel | undefined): void {
	switch (action.kind) {
		case 'network.create': {
			const {kind: _kind, network, ...settings} = action;
			picture.networks.set(network, {name: network, ...settings});
			return;
		}
		case 'network.remove':
			picture.networks.delete(action.network);
			return;
		case 'network.connect':
			// A container the picture does not hold (a dry run from the files alone) is on the networks its files name.
			for (const container of containersNamed(picture, action.service, action.container)) {
				if (!container.networks.includes(action.network)) container.networks.push(action.network);
			}
			return;
		case 'network.disconnect':
			for (const container of containersNamed(picture, action.service, action.container)) container.networks = container.networks.filter((network) => network !== action.network);
			return;
		case 'file.write':
			return;
		case 'service.recreate': {
			// `compose up` recreates the container from its files; the services in its namespace have no networks of their own.
			const networks = files?.services.get(action.service)?.networks;
			if (networks) for (const container of picture.containers.get(action.service) ?? []) container.networks = [...networks];
			return;
		}
		case 'swarm.update':
			updateSwarmService(picture, action.service, action.before.map((item) => item.network), action.after);
			return;
		case 'swarm.env': {
			const entry = [...(picture.swarm ?? [])].find(([, service]) => service.name === action.service);
			if (entry) picture.swarm?.set(entry[0], {...entry[1], env: withEnvValue(entry[1].env, action.variable, action.after)});
			return;
		}
		default: {
			const unknown: never = action;
			throw new Error(`simulate: unknown action ${JSON.stringify(unknown)}`);
		}
	}
}

function containersNamed(picture: Discovered, service: string, name: string): RunningContainer[] {
	return (picture.containers.get(service) ?? []).filter((container) => container.name === name);
}

/** The service's spec gets `after`; its tasks on this engine leave what it dropped and join what it added. */
function updateSwarmService(picture: Discovered, fullName: string, before: string[], after: SwarmService['networks']): void {
	const entry = [...(picture.swarm ?? [])].find(([, service]) => service.name === fullName);
	if (!entry) return;
	const [short, service] = entry;
	picture.swarm?.set(short, {...service, networks: after.map((item) => ({...item, aliases: [...item.aliases]}))});
	const names = after.map((item) => item.network);
	for (const container of picture.containers.get(short) ?? []) {
		const kept = container.networks.filter((network) => !before.includes(network) || names.includes(network));
		container.networks = [...kept, ...names.filter((network) => !kept.includes(network))];
	}
}
