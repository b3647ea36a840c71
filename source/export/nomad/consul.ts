/**
 * The segmentation as Consul's authorisation: one `service-intentions` config entry per
 * destination service, allowing exactly the sources the intended stack lets reach it, and one
 * entry denying every other pair (`*` → `*`), so the mesh refuses what the docker networks kept
 * apart. One entry per file: `consul config write` takes one at a time.
 */
import {attribute, comment, printHcl} from './hcl.js';
import type {NomadExport} from './model.js';

export function renderIntentions(model: NomadExport): Array<{file: string; text: string}> {
	const files = model.intentions.map((intention) => {
		const nodes = [
			comment(
				`Who may reach ${intention.destination} (in the namespace of ${intention.target}): the intended reachable pairs.\n  consul config write intentions/${intention.destination}.hcl`,
			),
			...attribute('Kind', 'service-intentions'),
			...attribute('Name', intention.destination),
			...attribute(
				'Sources',
				intention.sources.map((source) => ({Name: source, Action: 'allow'})),
			),
		];
		return {file: `intentions/${intention.destination}.hcl`, text: `${printHcl(nodes)}\n`};
	});
	const deny = [
		comment(
			'Everything not allowed above is denied: pairs the plan isolates get no intention.\n  consul config write intentions/default-deny.hcl',
		),
		...attribute('Kind', 'service-intentions'),
		...attribute('Name', '*'),
		...attribute('Sources', [{Name: '*', Action: 'deny'}]),
	];
	return [...files, {file: 'intentions/default-deny.hcl', text: `${printHcl(deny)}\n`}];
}
