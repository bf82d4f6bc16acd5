#!/usr/bin/env python3
"""Seconds per epoch of the reference Keras MLP (as ../shared/reference/train.py builds and fits it) on a
feature matrix written by bench/train/run.ts: DIR/meta.json + DIR/{x_train,x_val}.f32 + DIR/{y_train,y_val}.i32.

    /work/venv-tf/bin/python bench/train/keras_epochs.py DIR EPOCHS

Prints one JSON line: {"keras":..., "tensorflow":..., "epoch_s":[...], "val_loss":[...], ...}.
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np

d, epochs = sys.argv[1], int(sys.argv[2])
meta = json.load(open(os.path.join(d, "meta.json")))
f = meta["features"]
xtr = np.fromfile(os.path.join(d, "x_train.f32"), dtype=np.float32).reshape(-1, f)
xva = np.fromfile(os.path.join(d, "x_val.f32"), dtype=np.float32).reshape(-1, f)
ytr = np.fromfile(os.path.join(d, "y_train.i32"), dtype=np.int32)
yva = np.fromfile(os.path.join(d, "y_val.i32"), dtype=np.int32)

import keras
import tensorflow as tf

keras.utils.set_random_seed(meta.get("seed", 42))
model = keras.Sequential([
    keras.Input(shape=(f,)),
    keras.layers.Dense(256, activation="relu"), keras.layers.Dropout(0.3),
    keras.layers.Dense(128, activation="relu"), keras.layers.Dropout(0.3),
    keras.layers.Dense(64, activation="relu"), keras.layers.Dropout(0.3),
    keras.layers.Dense(meta["classes"], activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])


class EpochTimer(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.times, self.cpu = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.t0, self.c0 = time.perf_counter(), time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.t0)
        self.cpu.append(time.process_time() - self.c0)


timer = EpochTimer()
# No early stopping: every epoch is timed; validation runs each epoch as in the reference.
h = model.fit(xtr, ytr, validation_data=(xva, yva), epochs=epochs, batch_size=32, callbacks=[timer], verbose=0, shuffle=True)
print(json.dumps({"keras": keras.__version__, "tensorflow": tf.__version__, "epoch_s": timer.times, "epoch_cpu_s": timer.cpu,
                  "val_loss": [float(x) for x in h.history["val_loss"]], "val_acc": [float(x) for x in h.history["val_accuracy"]],
                  "loss": [float(x) for x in h.history["loss"]]}))
