/**
 * The labels step: `traefik.docker.network` (or any label the plan sets) written where the
 * service's labels are — map or list style, a value replaced in place, a block added — only
 * that line changing; inherited labels refused; then a recreate, since a running container's
 * labels cannot change.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {ComposeEditor} from '../../source/compose/edits.js';
import {loadComposeProject} from '../../source/compose/project.js';
import {NetmigrateError} from '../../source/errors.js';

const folders: string[] = [];
after(() => {
	for (const folder of folders) rmSync(folder, {recursive: true, force: true});
});

/** The file after setting `labels` on `service`, or the refusal. */
function withLabels(compose: string, service: string, labels: Record<string, string>): string {
	const folder = mkdtempSync(path.join(tmpdir(), 'nm-labels-'));
	folders.push(folder);
	writeFileSync(path.join(folder, 'docker-compose.yml'), compose);
	const editor = new ComposeEditor(loadComposeProject(folder, ['docker-compose.yml']));
	editor.setLabels(service, labels);
	return editor.changes()[0]?.after ?? compose;
}

const mapStyle = [
	'services:',
	'  traefik:',
	'    image: traefik:v3.1   # pinned',
	'    labels:',
	'      traefik.enable: "true"',
	"      traefik.http.routers.api.rule: 'Host(`traefik.lan`)'",
	'    networks: [proxy]',
	'networks:',
	'  proxy: {external: true}',
	'',
].join('\n');

test('map style: the label is appended after the others, every other byte kept', () => {
	const after = withLabels(mapStyle, 'traefik', {'traefik.docker.network': 'frontend-net'});
	assert.equal(
		after,
		mapStyle.replace("rule: 'Host(`traefik.lan`)'\n", "rule: 'Host(`traefik.lan`)'\n      traefik.docker.network: frontend-net\n"),
	);
});

test('an existing label gets its new value in place; one already as planned changes nothing', () => {
	const set = withLabels(mapStyle, 'traefik', {'traefik.enable': 'false'});
	assert.equal(set, mapStyle.replace('traefik.enable: "true"', 'traefik.enable: "false"'));
	assert.equal(withLabels(mapStyle, 'traefik', {'traefik.enable': 'true'}), mapStyle);
});

test('list style: a `- key=value` item, appended or replaced', () => {
	const list = [
		'services:',
		'  web:',
		'    image: nginx',
		'    labels:',
		'      - "traefik.enable=true"',
		'      - traefik.docker.network=old-net',
		'',
	].join('\n');
	assert.equal(
		withLabels(list, 'web', {'traefik.docker.network': 'frontend-net'}),
		list.replace('traefik.docker.network=old-net', 'traefik.docker.network=frontend-net'),
	);
	assert.equal(
		withLabels(list, 'web', {'com.example.tier': 'frontend'}),
		list.replace('old-net\n', 'old-net\n      - com.example.tier=frontend\n'),
	);
});

test('a service without labels gets a `labels:` block', () => {
	const bare = ['services:', '  web:', '    image: nginx', '    restart: unless-stopped', 'networks: {}', ''].join('\n');
	assert.equal(
		withLabels(bare, 'web', {'traefik.docker.network': 'frontend-net'}),
		bare.replace('unless-stopped\n', 'unless-stopped\n    labels:\n      traefik.docker.network: frontend-net\n'),
	);
});

test('labels inherited through a merge key are refused, naming the way out', () => {
	const shared = [
		'x-common: &common',
		'  labels:',
		'    com.example.owner: ops',
		'services:',
		'  web:',
		'    <<: *common',
		'    image: nginx',
		'  api:',
		'    <<: *common',
		'    image: api',
		'',
	].join('\n');
	assert.throws(
		() => withLabels(shared, 'web', {'traefik.docker.network': 'frontend-net'}),
		(error: unknown) =>
			error instanceof NetmigrateError &&
			/labels of web are inherited/.test(error.message) &&
			/write `labels:` on the service itself/.test(error.hint ?? ''),
	);
});
