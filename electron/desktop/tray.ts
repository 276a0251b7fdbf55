import { Menu, Tray, nativeImage } from 'electron';

/** The tray icon: shows how many requests wait for the owner, and opens the window. */
export class PendingTray {
  private readonly tray: Tray;

  constructor(private readonly actions: { open(): void; freeze(): void; quit(): void }) {
    this.tray = new Tray(nativeImage.createEmpty());
    this.tray.on('click', () => actions.open());
    this.setCount(0);
  }

  setCount(count: number): void {
    const label =
      count === 0 ? 'No pending approvals' : `${count} pending approval${count === 1 ? '' : 's'}`;
    this.tray.setToolTip(`Purser: ${label}`);
    this.tray.setTitle(count === 0 ? '' : String(count));
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label, enabled: false },
        { label: 'Open Purser', click: () => this.actions.open() },
        { label: 'Freeze all agents', click: () => this.actions.freeze() },
        { type: 'separator' },
        { label: 'Quit', click: () => this.actions.quit() },
      ]),
    );
  }
}
