/**
 * What the engine's picture of the stack would be once planned actions ran, without running
 * them: `plan --iteration 3` plans iteration 3 from the picture iterations 1 and 2 would leave
 * (networks created, containers connected and disconnected, swarm services' networks and
 * environment updated). Pure: the picture given is not changed. File writes change no part of
 * the picture — the files' new texts travel beside it (see `reloadComposeProject`). What each kind does to the
 * picture is its own `simulate` (source/kinds/): a new kind fails to compile until it says.
 */
import {simulateAction, type Action} from '../actions.js';
import type {ComposeModel} from '../compose/project.js';
import type {Discovered} from '../domain.js';

/**
 * `discovered` after `actions`, in order. `files`: the compose project as the actions' file
 * writes leave it — a recreated container comes back on the networks its files name.
 */
export function simulate(discovered: Discovered, actions: Action[], files?: ComposeModel): Discovered {
	const after: Discovered = {
		...discovered,
		networks: new Map(discovered.networks),
		containers: new Map(
			[...discovered.containers].map(([service, containers]) => [
				service,
				containers.map((container) => ({...container, networks: [...container.networks]})),
			]),
		),
		...(discovered.swarm
			? {swarm: new Map([...discovered.swarm].map(([name, service]) => [name, {...service, networks: [...service.networks]}]))}
			: {}),
	};
	for (const action of actions) simulateAction(after, action, files);
	return after;
}
