import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {parse} from 'yaml';
import {NetmigrateError} from '../../source/errors.js';
import {edit, project} from '../harness/edit.js';

describe('adding networks to a service', () => {
	test('list form stays a list, comments and quoting stay, and the network is declared external', () => {
		const {text} = edit(
			{
				'docker-compose.yml': [
					'# my stack',
					'services:',
					'  web:',
					'    image: "nginx:1.27"   # pinned',
					'    networks:',
					'      - media-network # the flat one',
					'',
					'networks:',
					'  media-network:',
					'    name: media-network',
					'',
				].join('\n'),
			},
			(editor) => editor.addNetworksToServices([['web', ['frontend-net']]]),
		);
		assert.equal(
			text('docker-compose.yml'),
			[
				'# my stack',
				'services:',
				'  web:',
				'    image: "nginx:1.27"   # pinned',
				'    networks:',
				'      - media-network # the flat one',
				'      - frontend-net',
				'',
				'networks:',
				'  media-network:',
				'    name: media-network',
				'  frontend-net:',
				'    name: frontend-net',
				'    external: true',
				'',
			].join('\n'),
		);
	});

	test('map form stays a map and keeps aliases and ipv4_address of existing entries', () => {
		const {text} = edit(
			{
				'docker-compose.yml': [
					'services:',
					'  db:',
					'    image: postgres:16',
					'    networks:',
					'      media-network:',
					'        aliases: [database]',
					'        ipv4_address: 172.18.0.50',
					'networks:',
					'  media-network:',
					'    external: true',
					'',
				].join('\n'),
			},
			(editor) => editor.addNetworksToServices([['db', ['backend-net']]]),
		);
		const after = text('docker-compose.yml') as string;
		assert.match(after, / {6}media-network:\n {8}aliases: \[database\]\n {8}ipv4_address: 172\.18\.0\.50\n {6}backend-net:\n/);
		assert.deepEqual(parse(after).networks['backend-net'], {name: 'backend-net', external: true});
	});

	test('flow-style lists stay flow style', () => {
		const {text} = edit(
			{
				'docker-compose.yml':
					'services:\n  app:\n    image: app\n    networks: [media-network]\nnetworks:\n  media-network: {external: true}\n',
			},
			(editor) => editor.addNetworksToServices([['app', ['frontend-net', 'backend-net']]]),
		);
		assert.match(text('docker-compose.yml') as string, /networks: \[media-network, frontend-net, backend-net\]/);
	});

	test('a service on the implicit default network keeps it, made explicit, so it is not lost', () => {
		const {text, notes} = edit({'docker-compose.yml': 'name: shop\nservices:\n  api:\n    image: api:2\n'}, (editor) =>
			editor.addNetworksToServices([['api', ['backend-net']]]),
		);
		const after = parse(text('docker-compose.yml') as string);
		assert.deepEqual(after.services.api.networks, ['default', 'backend-net']);
		assert.match(notes.join('\n'), /implicit default network/);
	});

	test('networks inherited through a merge key are written on the service; the anchor and its other users are unchanged', () => {
		const files = {
			'docker-compose.yml': [
				'x-arr: &arr',
				'  image: arr',
				'  networks:',
				'    - media-network',
				'services:',
				'  sonarr:',
				'    <<: *arr',
				'  radarr:',
				'    <<: *arr',
				'networks:',
				'  media-network: {external: true}',
				'',
			].join('\n'),
		};
		const {text} = edit(files, (editor) => editor.addNetworksToServices([['sonarr', ['download-net']]]));
		const resolved = parse(text('docker-compose.yml') as string, {merge: true});
		assert.deepEqual(resolved.services.sonarr.networks, ['media-network', 'download-net']);
		assert.deepEqual(resolved.services.radarr.networks, ['media-network'], 'radarr shares the anchor and must not change');
		assert.deepEqual(resolved['x-arr'].networks, ['media-network']);
	});

	test('an anchored networks list reused by other services is refused, naming the anchor and the fix', () => {
		const files = {
			'docker-compose.yml': [
				'services:',
				'  a:',
				'    image: a',
				'    networks: &shared',
				'      - media-network',
				'  b:',
				'    image: b',
				'    networks: *shared',
				'networks:',
				'  media-network: {external: true}',
				'',
			].join('\n'),
		};
		assert.throws(
			() => edit(files, (editor) => editor.addNetworksToServices([['a', ['x-net']]])),
			(error: NetmigrateError) =>
				/anchor &shared, reused by other services/.test(error.message) && error.where?.line === 4 && /x-/.test(error.hint ?? ''),
		);
		const {text} = edit(files, (editor) => editor.addNetworksToServices([['b', ['x-net']]]));
		const resolved = parse(text('docker-compose.yml') as string);
		assert.deepEqual(resolved.services.a.networks, ['media-network'], 'editing the alias user leaves the anchor owner alone');
		assert.deepEqual(resolved.services.b.networks, ['media-network', 'x-net']);
	});

	test("a service in another service's network namespace cannot be attached; the error names the owner", () => {
		const files = {
			'docker-compose.yml': 'services:\n  vpn:\n    image: gluetun\n  torrent:\n    image: qbt\n    network_mode: service:vpn\n',
		};
		assert.throws(
			() => edit(files, (editor) => editor.addNetworksToServices([['torrent', ['download-net']]])),
			(error: NetmigrateError) => /shares vpn's network namespace/.test(error.message) && /through vpn/.test(error.hint ?? ''),
		);
	});

	test('the network is declared in every file that uses it, each included file on its own', () => {
		const {changes, text} = edit(
			{
				'docker-compose.yml': 'include:\n  - a/compose.yml\n  - path: b/compose.yml\n',
				'a/compose.yml':
					'services:\n  a:\n    image: a\n    networks: [media-network]\nnetworks:\n  media-network: {external: true}\n',
				'b/compose.yml':
					'services:\n  b:\n    image: b\n    networks: [media-network]\nnetworks:\n  media-network: {external: true}\n',
			},
			(editor) => {
				editor.addNetworksToServices([['a', ['shared-net']]]);
				editor.addNetworksToServices([['b', ['shared-net']]]);
			},
		);
		assert.equal(changes.length, 2);
		for (const file of ['a/compose.yml', 'b/compose.yml'])
			assert.deepEqual(parse(text(file) as string).networks['shared-net'], {name: 'shared-net', external: true});
	});

	test('a planned network declared in the file as compose-managed is refused, not silently re-declared', () => {
		const files = {'docker-compose.yml': 'services:\n  a:\n    image: a\nnetworks:\n  backend-net:\n    driver: bridge\n'};
		assert.throws(
			() => edit(files, (editor) => editor.addNetworksToServices([['a', ['backend-net']]])),
			(error: NetmigrateError) => /managed by compose/.test(error.message) && error.where?.line === 5,
		);
	});

	test('four-space indentation, CRLF line ends and aligned comments are kept', () => {
		const original = [
			'services:',
			'    web:',
			'        image: web   # aligned',
			'        networks:',
			'            - media-network',
			'networks:',
			'    media-network:',
			'        external: true',
			'',
		].join('\r\n');
		const {text} = edit({'docker-compose.yml': original}, (editor) => editor.addNetworksToServices([['web', ['frontend-net']]]));
		const after = text('docker-compose.yml') as string;
		assert.ok(after.includes('        image: web   # aligned\r\n'));
		assert.ok(after.includes('            - media-network\r\n            - frontend-net\r\n'));
		assert.ok(!/[^\r]\n/.test(after), 'every line still ends in CRLF');
	});

	test('the blank line after an empty map entry stays after the map', () => {
		const {text} = edit(
			{
				'docker-compose.yml':
					'services:\n  jf:\n    image: jf\n    networks:\n      media-network:\n\nnetworks:\n  media-network: {external: true}\n',
			},
			(editor) => editor.addNetworksToServices([['jf', ['frontend-net']]]),
		);
		assert.match(text('docker-compose.yml') as string, / {6}media-network:\n {6}frontend-net:\n\nnetworks:/);
	});
});

describe('loading compose projects', () => {
	test('includes (short and long form, relative to the including file) map each service to its file', () => {
		const model = project({
			'docker-compose.yml': 'include:\n  - apps/compose.yml\n  - path: [db/compose.yml]\n',
			'apps/compose.yml': 'include:\n  - ../shared/compose.yml\nservices:\n  web:\n    image: web\n',
			'db/compose.yml': 'services:\n  db:\n    image: db\n',
			'shared/compose.yml': 'services:\n  cache:\n    image: redis\n',
		});
		assert.deepEqual(
			Object.fromEntries([...model.services.values()].map((service) => [service.name, path.relative(model.root, service.file)])),
			{cache: 'shared/compose.yml', web: 'apps/compose.yml', db: 'db/compose.yml'},
		);
	});

	test('an include cycle is reported with the chain and the line of the include', () => {
		assert.throws(
			() =>
				project({
					'docker-compose.yml': 'include:\n  - a.yml\n',
					'a.yml': 'include:\n  - b.yml\n',
					'b.yml': 'include:\n  - a.yml\n',
				}),
			(error: NetmigrateError) =>
				/include cycle: docker-compose\.yml → a\.yml → b\.yml → a\.yml/.test(error.message) && error.where?.line === 2,
		);
	});

	test('a missing included file names the including file and line', () => {
		assert.throws(
			() => project({'docker-compose.yml': 'services: {}\ninclude:\n  - nope/compose.yml\n'}),
			(error: NetmigrateError) =>
				/does not exist/.test(error.message) &&
				error.where?.line === 3 &&
				error.where.file?.endsWith('docker-compose.yml') === true,
		);
	});

	test('${VAR} in include paths, network names and `name:` comes from .env; ${VAR:?} reports a missing one', () => {
		const model = project({
			'.env': 'STACK=media\nPARTS=parts\nNET=media-network\n',
			'docker-compose.yml': 'name: ${STACK}\ninclude:\n  - ${PARTS}/compose.yml\n',
			'parts/compose.yml':
				'services:\n  web:\n    image: web\n    networks: [flat]\nnetworks:\n  flat:\n    name: ${NET}\n    external: true\n',
		});
		assert.equal(model.projectName, 'media');
		assert.deepEqual(model.services.get('web')?.networks, ['media-network']);
		assert.throws(
			() => project({'docker-compose.yml': 'services:\n  a:\n    image: ${IMAGE:?set IMAGE}\n'}),
			/required variable IMAGE/,
		);
	});

	test('malformed YAML is reported with file, line and column', () => {
		assert.throws(
			() => project({'docker-compose.yml': 'services:\n  a:\n    image: a\n   networks: [x\n'}),
			(error: NetmigrateError) =>
				/invalid YAML/.test(error.message) && error.where?.line !== undefined && error.where.column !== undefined,
		);
	});
});
