// Whole listings: API Gateway's GetX calls page with `position`, Lambda's ListX with `Marker`/`NextMarker`. The
// console's lists show everything, so each view asks for every page (500 items a call, API Gateway's maximum).

/** Every item of an API Gateway listing (`items` + `position`). */
export async function everyItem<T>(page: (position: string | undefined) => Promise<{ items?: T[]; position?: string }>): Promise<T[]> {
  const out: T[] = [];
  let position: string | undefined;
  do {
    const got = await page(position);
    out.push(...(got.items ?? []));
    position = got.position;
  } while (position);
  return out;
}

/** Every item of a Lambda listing (`Marker` in, `NextMarker` out). */
export async function everyMarked<T>(page: (marker: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const got = await page(marker);
    out.push(...(got.items ?? []));
    marker = got.next;
  } while (marker);
  return out;
}
