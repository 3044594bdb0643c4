export { GRAD_CAM_DEFAULTS, GRAD_CAM_LAYER_CLASSES, gradCam } from './gradcam.js';
export type { GradCamOptions, GradCamResult } from './gradcam.js';
export { encodeOverlayPng, heatmapOverlay, OVERLAY_DEFAULTS, overlayBase } from './overlay.js';
export type { HeatmapColormap, OverlayImage, OverlayOptions } from './overlay.js';
