/**
 * Whether the screen underneath takes keys. The help overlay (and the quit question) keep the
 * screen mounted — its scroll position and menu selection survive — but switch its keys off,
 * so Esc or q close the overlay without also leaving the screen.
 */
import {useInput, type Key} from 'ink';
import {createContext, useContext} from 'react';

export const ScreenKeys = createContext(true);

/** `useInput` for a screen: off while an overlay has the keys. */
export function useScreenInput(handler: (input: string, key: Key) => void, options: {isActive?: boolean} = {}): void {
	const active = useContext(ScreenKeys);
	useInput(handler, {isActive: active && options.isActive !== false});
}

export function useScreenKeysActive(): boolean {
	return useContext(ScreenKeys);
}
