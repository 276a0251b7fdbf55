import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { join } from 'node:path';
import { trayIconFile } from './tray-icons';
import type { TrayIconName, TrayMenuItemId, TrayView } from './tray-state';

/**
 * The tray icon. It draws a TrayView (tray-state.ts decides everything: the icon, the
 * tooltip, the menu) with the pre-rendered icons of electron/resources/tray/. The context menu is
 * set again on every change, which Linux needs for a change to show.
 */
export class PendingTray {
  private readonly tray: Tray;
  private readonly images = new Map<string, NativeImage>();
  private shown: TrayView | undefined;

  constructor(
    private readonly iconDir: string,
    private readonly actions: Record<Exclude<TrayMenuItemId, 'status'>, () => void>,
  ) {
    this.tray = new Tray(this.image('offline'));
    // Where the OS delivers clicks (not every Linux tray does), a click opens the window.
    this.tray.on('click', () => actions.show());
  }

  show(view: TrayView): void {
    const before = this.shown;
    this.shown = view;
    if (before?.icon !== view.icon) this.tray.setImage(this.image(view.icon));
    if (before?.tooltip !== view.tooltip) this.tray.setToolTip(view.tooltip);
    if (process.platform === 'darwin' && before?.title !== view.title)
      this.tray.setTitle(view.title);
    if (JSON.stringify(before?.menu) === JSON.stringify(view.menu)) return;
    this.tray.setContextMenu(
      Menu.buildFromTemplate(
        view.menu.map((item) => {
          if (item.type === 'separator') return { type: 'separator' as const };
          const { id } = item;
          return {
            type: item.type,
            label: item.label,
            enabled: item.enabled,
            checked: item.checked,
            click: id === 'status' ? undefined : () => this.actions[id](),
          };
        }),
      ),
    );
  }

  /** The icon `name` for the tray; its @2x file sits beside it for HiDPI screens. */
  image(name: TrayIconName): NativeImage {
    const file = trayIconFile(name, process.platform);
    let image = this.images.get(file);
    if (!image) {
      image = nativeImage.createFromPath(join(this.iconDir, file));
      this.images.set(file, image);
    }
    return image;
  }

  destroy(): void {
    this.tray.destroy();
  }
}
