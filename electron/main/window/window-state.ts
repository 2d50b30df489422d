import type { WindowBounds } from '../settings/schema';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Window state remembered across runs. A saved position is used only when the window
 * would still be reachable on a current display (a laptop undocked from its projector must not open
 * its window off-screen); otherwise the size is kept and the OS centres the window.
 */
export function restoreBounds(
  saved: WindowBounds,
  workAreas: readonly Rect[],
): { x?: number; y?: number; width: number; height: number } {
  const area = workAreas[0];
  const width = area ? Math.min(saved.width, area.width) : saved.width;
  const height = area ? Math.min(saved.height, area.height) : saved.height;
  if (saved.x === undefined || saved.y === undefined) {
    return { width, height };
  }
  const { x, y } = saved;
  // Visible enough: at least 100×50 px of the title bar region lies inside some display.
  const visible = workAreas.some(
    (a) => x + width - 100 >= a.x && x + 100 <= a.x + a.width && y >= a.y && y + 50 <= a.y + a.height,
  );
  return visible ? { x, y, width, height } : { width, height };
}

/** What to store when the window moves or closes: normal bounds plus the maximized flag. */
export function boundsToSave(normal: Rect, maximized: boolean): WindowBounds {
  return {
    x: Math.round(normal.x),
    y: Math.round(normal.y),
    width: Math.max(800, Math.round(normal.width)),
    height: Math.max(600, Math.round(normal.height)),
    maximized,
  };
}
