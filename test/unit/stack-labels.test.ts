/** Which stack a container belongs to, from its labels: a compose project's, or a swarm stack's task with its slot. */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stackIdentity} from '../../source/engine/stack-labels.js';

test('a compose container: its project and service', () => {
	assert.deepEqual(stackIdentity({'com.docker.compose.project': 'media', 'com.docker.compose.service': 'jellyfin'}), {
		project: 'media',
		service: 'jellyfin',
	});
});

test("a swarm task: the stack, the service's short name, and the slot that survives the updates replacing its container", () => {
	const labels = {
		'com.docker.stack.namespace': 'media',
		'com.docker.swarm.service.name': 'media_traefik',
		'com.docker.swarm.task.name': 'media_traefik.1.q2w3e4r5t6y7u8i9o0p1a2s3d',
	};
	assert.deepEqual(stackIdentity(labels), {project: 'media', service: 'traefik', slot: 'media_traefik.1'});
	// A global service's task is named by its node, not a slot number.
	assert.equal(
		stackIdentity({...labels, 'com.docker.swarm.task.name': 'media_traefik.x7k2m9n4b6v8c1z3l5j7h9g2f.q2w3e4r5t6y7u8i9o0p1a2s3d'}).slot,
		'media_traefik.x7k2m9n4b6v8c1z3l5j7h9g2f',
	);
});

test('a container of neither: no stack', () => {
	assert.deepEqual(stackIdentity({}), {});
	assert.deepEqual(stackIdentity({'com.docker.swarm.service.name': 'lonely'}), {});
});
