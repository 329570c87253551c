// Package silero makes and checks the ggml file of the Silero voice
// activity detector that whisper.cpp 1.9.1 loads
// (whisper_vad_init_from_file_with_params), in pure Go.
//
// No registry serves that file. The npm package @ricky0123/vad-web ships
// silero_vad_v5.onnx, which holds exactly the weights of silero-vad
// v5.1.2 (the same PyTorch names and shapes, LSTM gates in PyTorch's
// i, f, g, o order); Convert reads its initializers with a small protobuf
// reader and writes them in the layout of whisper.cpp's
// models/convert-silero-vad-to-ggml.py: the header, then the 16 kHz
// model's 15 tensors with their dimensions reversed, convolution weights
// as float16 and the rest as float32.
//
// Validate checks a file against that layout before whisper.cpp sees it,
// because whisper.cpp trusts its input: a file cut after the header loads
// as an "empty model" that runs on uninitialised weights, and a bad
// dimension reads past its buffers.
package silero
