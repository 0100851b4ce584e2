import fs from 'node:fs';
import path from 'node:path';
import { encodePng, type Image } from './png';

/**
 * Draws the Teams app icons (run `npx tsx scripts/teams/icons.ts` to redraw them):
 * colour, 192×192, an Alibaba-orange tile with a white check mark in a ring (an
 * application that gets approved); outline, 32×32, the same mark in white on transparent,
 * as Teams requires. Shapes are drawn with 4×4 supersampling for smooth edges.
 */
const ORANGE = [0xff, 0x6a, 0x00];
const WHITE = [0xff, 0xff, 0xff];

type Shape = (x: number, y: number) => boolean;

/** The mark in unit coordinates (0..1): a ring and a check mark. */
function mark(scale: number): Shape {
  const ring = (x: number, y: number) => {
    const d = Math.hypot(x - 0.5, y - 0.5);
    return d <= 0.4 && d >= 0.4 - 0.075 * scale;
  };
  const segment = (ax: number, ay: number, bx: number, by: number, w: number) => (x: number, y: number) => {
    const t = Math.max(
      0,
      Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    );
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= w / 2;
  };
  const w = 0.09 * scale;
  const tick1 = segment(0.33, 0.52, 0.45, 0.64, w);
  const tick2 = segment(0.45, 0.64, 0.68, 0.38, w);
  return (x, y) => ring(x, y) || tick1(x, y) || tick2(x, y);
}

function draw(size: number, fill: (x: number, y: number) => { rgb: number[]; a: number }): Image {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = fill((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          r += c.rgb[0] * c.a;
          g += c.rgb[1] * c.a;
          b += c.rgb[2] * c.a;
          a += c.a;
        }
      }
      const i = (py * size + px) * 4;
      const n = samples * samples;
      pixels[i] = a ? Math.round(r / a) : 0;
      pixels[i + 1] = a ? Math.round(g / a) : 0;
      pixels[i + 2] = a ? Math.round(b / a) : 0;
      pixels[i + 3] = Math.round((a / n) * 255);
    }
  }
  return { width: size, height: size, pixels };
}

export function colourIcon(): Image {
  const shape = mark(1);
  return draw(192, (x, y) => ({ rgb: shape(x, y) ? WHITE : ORANGE, a: 1 }));
}

export function outlineIcon(): Image {
  const shape = mark(1.6); // heavier strokes stay visible at 32 px
  return draw(32, (x, y) => ({ rgb: WHITE, a: shape(x, y) ? 1 : 0 }));
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '../../appPackage');
  fs.writeFileSync(path.join(dir, 'color.png'), encodePng(colourIcon()));
  fs.writeFileSync(path.join(dir, 'outline.png'), encodePng(outlineIcon()));
  console.log(`icons written to ${dir}`);
}
