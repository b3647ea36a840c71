/** A swarm update's downtime, read from the task records the swarm keeps: per slot, the gap between the replaced task's end and its successor's running. */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {downtimeOf} from '../../source/engine/swarm-downtime.js';

const task = (id: string, slot: number, desired: string, state: string, at: string) => ({
	ID: id,
	Slot: slot,
	DesiredState: desired,
	Status: {State: state, Timestamp: `2026-11-25T10:00:${at}Z`},
});

test('stop-first: the old task ended before its successor ran — the gap is the downtime', () => {
	const tasks = [task('old', 1, 'shutdown', 'shutdown', '01.000'), task('new', 1, 'running', 'running', '07.300')];
	assert.equal(downtimeOf(tasks, new Set(['old'])), 6300);
});

test('start-first: the successor ran before the old task ended — no downtime', () => {
	const tasks = [task('old', 1, 'shutdown', 'shutdown', '09.000'), task('new', 1, 'running', 'running', '07.300')];
	assert.equal(downtimeOf(tasks, new Set(['old'])), 0);
});

test('several replicas: the worst slot counts; history from earlier updates and tasks the update did not replace are ignored', () => {
	const tasks = [
		task('ancient', 1, 'shutdown', 'shutdown', '00.000'),
		task('old1', 1, 'shutdown', 'shutdown', '01.000'),
		task('new1', 1, 'running', 'running', '02.000'),
		task('old2', 2, 'shutdown', 'shutdown', '03.000'),
		task('new2', 2, 'running', 'running', '06.500'),
		task('kept3', 3, 'running', 'running', '00.000'),
	];
	assert.equal(downtimeOf(tasks, new Set(['old1', 'old2', 'kept3'])), 3500);
});

test('a slot whose successor is not running yet adds nothing it cannot measure', () => {
	const tasks = [task('old', 1, 'shutdown', 'shutdown', '01.000'), task('new', 1, 'running', 'starting', '02.000')];
	assert.equal(downtimeOf(tasks, new Set(['old'])), 0);
});
