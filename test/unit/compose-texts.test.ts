/**
 * A compose project read with texts standing in for its files: what compose would read once
 * those texts were written (the dry run of a later iteration reads the stack this way), with
 * nothing written.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {ComposeEditor} from '../../source/compose/edits.js';
import {loadComposeProject, reloadComposeProject} from '../../source/compose/project.js';
import {removeStack, treeHashes, writeStack} from '../harness/stack.js';

test('a compose project read again with texts sees them in place of its files (includes, extends bases, .env and env_file too) and writes nothing', () => {
	const root = writeStack({
		'compose.yaml':
			'include:\n  - vpn/compose.yaml\n  - fw/compose.yaml\nservices:\n  web:\n    extends: {file: base.yaml, service: web}\n',
		'base.yaml': 'services:\n  web:\n    image: nginx\n',
		'vpn/compose.yaml': 'services:\n  vpn:\n    image: gluetun\n    environment:\n      - FIREWALL_OUTBOUND_SUBNETS=${NET_FW}\n',
		'.env': 'NET_FW=172.18.0.0/16\n',
		'fw/compose.yaml': 'services:\n  fw:\n    image: gluetun\n    env_file: fw.env\n',
		'fw/fw.env': 'FIREWALL_OUTBOUND_SUBNETS=10.0.0.0/8\n',
	});
	try {
		const before = treeHashes(root);
		const model = loadComposeProject(root, [], {environment: {}});
		const again = reloadComposeProject(
			model,
			new Map([
				[path.join(root, '.env'), 'NET_FW=172.18.0.0/16,172.20.0.0/16\n'],
				[path.join(root, 'base.yaml'), 'services:\n  web:\n    image: caddy\n'],
				[path.join(root, 'fw/fw.env'), 'FIREWALL_OUTBOUND_SUBNETS=10.0.0.0/8,172.20.0.0/16\n'],
				[
					path.join(root, 'vpn/compose.yaml'),
					readFileSync(path.join(root, 'vpn/compose.yaml'), 'utf8').replace(
						'image: gluetun',
						'image: gluetun\n    networks: [vpn-net]',
					) + 'networks:\n  vpn-net: {name: vpn-net}\n',
				],
			]),
		);
		assert.equal(again.variables.NET_FW, '172.18.0.0/16,172.20.0.0/16');
		assert.deepEqual(
			again.services.get('vpn')?.environment.find((entry) => entry.key === 'FIREWALL_OUTBOUND_SUBNETS')?.value,
			'172.18.0.0/16,172.20.0.0/16',
		);
		assert.deepEqual(again.services.get('vpn')?.networks, ['vpn-net']);
		assert.equal(again.services.get('web')?.image, 'caddy', 'an extends: file: base too');
		const ensure = (project: typeof model) =>
			new ComposeEditor(project).ensureAllowList('fw', 'FIREWALL_OUTBOUND_SUBNETS', ['172.20.0.0/16']).added;
		assert.deepEqual(ensure(again), [], 'the env_file as its text says already covers it');
		assert.deepEqual(ensure(model), ['172.20.0.0/16']);
		assert.deepEqual(model.services.get('vpn')?.networks, [`${model.projectName}_default`], 'the first reading is unchanged');
		assert.deepEqual(treeHashes(root), before);
	} finally {
		removeStack(root);
	}
});
