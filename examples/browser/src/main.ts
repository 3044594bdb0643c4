/**
 * The ct-hemorrhage demo page: load a saved model (URL or chosen files), drop a PNG, JPEG or
 * DICOM slice, see the probability, label, threshold and a Grad-CAM overlay, on the tfjs
 * backend of your choice. Everything the page does with the model goes through the library's
 * browser-safe entry (`ct-hemorrhage`).
 *
 * Query parameters: `?backend=webgl|wasm|cpu|webgpu` (default wasm) and `?model=<url of model.json>`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  decodeSlice,
  generatePhantoms,
  gradCam,
  heatmapOverlay,
  isCtHemorrhageError,
  loadPredictor,
  overlayBase,
  type OverlayImage,
  type Predictor,
  type SliceImage,
} from 'ct-hemorrhage';
import { activateBackend, BACKENDS, webGpuUnavailable, type BackendName } from './backends.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page lacks #${id}.`);
  return el as T;
};

const ui = {
  backend: $<HTMLSelectElement>('backend'),
  backendActive: $<HTMLOutputElement>('backend-active'),
  modelForm: $<HTMLFormElement>('model-form'),
  modelUrl: $<HTMLInputElement>('model-url'),
  modelFiles: $<HTMLInputElement>('model-files'),
  modelStatus: $<HTMLParagraphElement>('model-status'),
  dropZone: $<HTMLDivElement>('drop-zone'),
  imageInput: $<HTMLInputElement>('image-input'),
  phantom: $<HTMLButtonElement>('phantom'),
  error: $<HTMLDivElement>('error'),
  result: $<HTMLDivElement>('result'),
  fileName: $<HTMLElement>('file-name'),
  probability: $<HTMLElement>('probability'),
  label: $<HTMLElement>('label'),
  threshold: $<HTMLElement>('threshold'),
  resultBackend: $<HTMLElement>('result-backend'),
  overlay: $<HTMLCanvasElement>('overlay'),
  overlaySize: $<HTMLElement>('overlay-size'),
};

let predictor: Predictor | undefined;
/** The last slice shown, re-run when the backend or the model changes. */
let current: { slice: SliceImage; name: string } | undefined;

/** One operation at a time: backend switches, model loads and predictions never interleave. */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

function message(error: unknown): string {
  if (isCtHemorrhageError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function showError(text: string): void {
  ui.error.textContent = text;
  ui.error.hidden = false;
}

function clearError(): void {
  ui.error.textContent = '';
  ui.error.hidden = true;
}

// ---- backend ---------------------------------------------------------------------------------

async function switchBackend(name: BackendName): Promise<void> {
  clearError();
  try {
    const active = await activateBackend(name);
    ui.backendActive.textContent = active;
    ui.backendActive.dataset.backend = active;
  } catch (error) {
    showError(message(error));
    ui.backend.value = tf.getBackend() ?? 'wasm';
    return;
  }
  if (current) await analyse(current.slice, current.name);
}

// ---- model -----------------------------------------------------------------------------------

async function loadModel(source: string | tf.io.IOHandler, description: string): Promise<void> {
  clearError();
  ui.modelStatus.dataset.state = 'loading';
  ui.modelStatus.textContent = `Loading ${description}...`;
  try {
    const next = await loadPredictor(source);
    predictor?.dispose();
    predictor = next;
  } catch (error) {
    predictor?.dispose();
    predictor = undefined;
    ui.modelStatus.dataset.state = 'error';
    ui.modelStatus.textContent = 'No model loaded.';
    const where = typeof source === 'string' ? source : description;
    showError(`The model failed to load from ${where}.\n${message(error)}`);
    return;
  }
  const { architecture, preprocessing: p, libraryVersion } = predictor.info;
  const windows = p.windows ? `, windows ${p.windows.map((w) => (typeof w === 'string' ? w : `${w.level}/${w.width}`)).join(', ')}` : '';
  ui.modelStatus.dataset.state = 'ready';
  ui.modelStatus.textContent =
    `Loaded ${description}: ${architecture}, input ${p.inputSize[1]}x${p.inputSize[0]}x${p.channels}${windows}, ` +
    `classes ${p.classNames.join('/')}, threshold ${p.threshold} (saved by ct-hemorrhage ${libraryVersion}).`;
  if (current) await analyse(current.slice, current.name);
}

function loadModelFromUrl(): Promise<void> {
  const raw = ui.modelUrl.value.trim();
  if (!raw) {
    showError('Enter the URL of a saved model folder\'s model.json, or choose its files.');
    return Promise.resolve();
  }
  return loadModel(new URL(raw, window.location.href).href, raw);
}

function loadModelFromFiles(files: readonly File[]): Promise<void> {
  const json = files.find((f) => f.name.endsWith('.json'));
  const weights = files.filter((f) => f !== json);
  if (!json || weights.length === 0) {
    showError('Choose a saved model folder\'s model.json together with its weights.bin (both files at once).');
    return Promise.resolve();
  }
  return loadModel(tf.io.browserFiles([json, ...weights]), files.map((f) => f.name).join(' + '));
}

// ---- prediction ------------------------------------------------------------------------------

function drawOverlay(image: OverlayImage): void {
  const source = document.createElement('canvas');
  source.width = image.width;
  source.height = image.height;
  source.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  const scale = Math.max(1, Math.floor(448 / image.height));
  ui.overlay.width = image.width * scale;
  ui.overlay.height = image.height * scale;
  const ctx = ui.overlay.getContext('2d');
  if (!ctx) return;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, ui.overlay.width, ui.overlay.height);
}

async function analyse(slice: SliceImage, name: string): Promise<void> {
  clearError();
  current = { slice, name };
  ui.fileName.textContent = name;
  if (!predictor) {
    ui.result.dataset.state = 'no-model';
    showError('Load a model first (step 1): the slice is kept and analysed as soon as a model is loaded.');
    return;
  }
  ui.result.dataset.state = 'running';
  try {
    const started = performance.now();
    const prediction = await predictor.predict(slice);
    const cam = gradCam(predictor.model, slice);
    const overlay = heatmapOverlay(overlayBase(predictor.model, slice), cam.heatmap, cam.width, cam.height);
    const ms = performance.now() - started;
    const backend = tf.getBackend();
    ui.probability.textContent = prediction.probability.toFixed(4);
    ui.label.textContent = prediction.label;
    ui.label.dataset.label = prediction.label;
    ui.threshold.textContent = String(prediction.threshold);
    ui.resultBackend.textContent = `${backend} (${ms.toFixed(0)} ms with Grad-CAM)`;
    ui.overlaySize.textContent = `${cam.width}x${cam.height}, layer ${cam.layer}`;
    drawOverlay(overlay);
    ui.result.dataset.probability = String(prediction.probability);
    ui.result.dataset.label = prediction.label;
    ui.result.dataset.backend = backend;
    ui.result.dataset.camScore = String(cam.score);
    ui.result.dataset.state = 'done';
  } catch (error) {
    ui.result.dataset.state = 'error';
    showError(`Could not analyse ${name}.\n${message(error)}`);
  }
}

async function analyseFile(file: File): Promise<void> {
  clearError();
  let slice: SliceImage;
  try {
    slice = await decodeSlice(new Uint8Array(await file.arrayBuffer()), { name: file.name });
  } catch (error) {
    ui.result.dataset.state = 'error';
    const unreadable = isCtHemorrhageError(error) && (error.code === 'DECODE_FAILED' || error.code === 'UNSUPPORTED_DICOM');
    showError(
      unreadable
        ? `"${file.name}" is not a slice this page can read: give a PNG or JPEG image or an uncompressed DICOM file.\n${message(error)}`
        : `Could not read "${file.name}".\n${message(error)}`,
    );
    return;
  }
  await analyse(slice, file.name);
}

function analysePhantom(): Promise<void> {
  const seed = 1 + Math.floor(Math.random() * 1e6);
  const [sample] = generatePhantoms({ count: 1, size: 256, seed });
  if (!sample) return Promise.resolve();
  return analyse(sample.image, `synthetic phantom (seed ${seed}, ${sample.label === 1 ? 'with' : 'without'} a lesion)`);
}

// ---- wiring ----------------------------------------------------------------------------------

function fileFrom(list: FileList | null | undefined): File | undefined {
  return list && list.length > 0 ? (list[0] ?? undefined) : undefined;
}

ui.backend.addEventListener('change', () => void serial(() => switchBackend(ui.backend.value as BackendName)));
ui.modelForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void serial(loadModelFromUrl);
});
ui.modelFiles.addEventListener('change', () => void serial(() => loadModelFromFiles(Array.from(ui.modelFiles.files ?? []))));
ui.imageInput.addEventListener('change', () => {
  const file = fileFrom(ui.imageInput.files);
  ui.imageInput.value = '';
  if (file) void serial(() => analyseFile(file));
});
ui.phantom.addEventListener('click', () => void serial(analysePhantom));
ui.dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  ui.dropZone.classList.add('over');
});
ui.dropZone.addEventListener('dragleave', () => ui.dropZone.classList.remove('over'));
ui.dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.dropZone.classList.remove('over');
  const file = fileFrom(event.dataTransfer?.files);
  if (file) void serial(() => analyseFile(file));
});

const params = new URLSearchParams(window.location.search);
const requested = params.get('backend') ?? 'wasm';
const initial: BackendName = (BACKENDS as readonly string[]).includes(requested) ? (requested as BackendName) : 'wasm';
ui.backend.value = initial;
const modelParam = params.get('model');
if (modelParam !== null) ui.modelUrl.value = modelParam;

/** For scripted use (the end-to-end test): resolves once every queued operation has finished. */
async function idle(): Promise<void> {
  let seen: Promise<unknown>;
  do {
    seen = queue;
    await seen;
  } while (seen !== queue);
}
(window as unknown as { ctDemo: { idle: () => Promise<void> } }).ctDemo = { idle };

document.body.dataset.ready = 'false';
void serial(async () => {
  const webgpuOption = ui.backend.querySelector<HTMLOptionElement>('option[value="webgpu"]');
  const noWebGpu = await webGpuUnavailable();
  if (webgpuOption && noWebGpu) {
    webgpuOption.disabled = true;
    webgpuOption.textContent = `webgpu (${noWebGpu})`;
  }
  await switchBackend(initial);
  await loadModelFromUrl();
  document.body.dataset.ready = 'true';
});
