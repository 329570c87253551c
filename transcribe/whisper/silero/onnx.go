package silero

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A minimal reader of the ONNX protobuf: just enough of ModelProto,
// GraphProto, NodeProto, AttributeProto and TensorProto to collect every
// float tensor a model holds, whether as a graph initializer or as the
// value of a Constant node, in the main graph or in the branches of an If
// (silero's ONNX export keeps the 16 kHz and 8 kHz models in the two
// branches of one). Field numbers are those of onnx/onnx.proto3.

// Tensor is one float32 tensor of an ONNX file.
type Tensor struct {
	// Graph numbers the (sub)graph that holds the tensor, in the order
	// the reader met them: 0 is the main graph.
	Graph int
	Name  string
	Dims  []int64
	Data  []float32
}

// ErrNotONNX: the file does not parse as an ONNX model.
var ErrNotONNX = errors.New("not an ONNX model")

// ONNX data types this reader decodes.
const onnxFloat = 1

// readONNXTensors returns the float tensors of an ONNX model, in file
// order, including those of subgraphs. Tensors of other types are skipped.
func readONNXTensors(b []byte) ([]Tensor, error) {
	r := &reader{}
	found := false
	err := fields(b, func(num int, wt int, v []byte, _ uint64) error {
		if num == 7 && wt == 2 { // ModelProto.graph
			found = true
			return r.graph(v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotONNX, err)
	}
	if !found {
		return nil, fmt.Errorf("%w: no graph", ErrNotONNX)
	}
	return r.out, nil
}

type reader struct {
	out    []Tensor
	graphs int // graphs met so far
}

// graph collects the tensors of a GraphProto and of its nodes' subgraphs.
func (r *reader) graph(b []byte) error {
	id := r.graphs
	r.graphs++
	return fields(b, func(num, wt int, v []byte, _ uint64) error {
		switch {
		case num == 5 && wt == 2: // initializer
			return r.tensor(v, "", id)
		case num == 1 && wt == 2: // node
			return r.node(v, id)
		}
		return nil
	})
}

func (r *reader) node(b []byte, id int) error {
	var outputs []string
	var attrs [][]byte
	err := fields(b, func(num, wt int, v []byte, _ uint64) error {
		switch {
		case num == 2 && wt == 2:
			outputs = append(outputs, string(v))
		case num == 5 && wt == 2:
			attrs = append(attrs, v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	name := ""
	if len(outputs) > 0 {
		name = outputs[0]
	}
	for _, a := range attrs {
		if err := r.attribute(a, name, id); err != nil {
			return err
		}
	}
	return nil
}

// attribute reads a node's attribute: a Constant's tensor is named after
// the node's output, and belongs to the node's graph.
func (r *reader) attribute(b []byte, output string, id int) error {
	return fields(b, func(num, wt int, v []byte, _ uint64) error {
		switch {
		case num == 5 && wt == 2: // t: a Constant's value
			return r.tensor(v, output, id)
		case (num == 6 || num == 11) && wt == 2: // g, graphs: If branches, Loop bodies
			return r.graph(v)
		}
		return nil
	})
}

// tensor decodes a TensorProto; name, if set, replaces an empty name.
func (r *reader) tensor(b []byte, name string, id int) error {
	t := Tensor{Graph: id}
	dtype := 0
	var raw []byte
	var floats []float32
	err := fields(b, func(num, wt int, v []byte, x uint64) error {
		switch num {
		case 1: // dims, packed or not
			if wt == 0 {
				t.Dims = append(t.Dims, int64(x))
				return nil
			}
			for len(v) > 0 {
				d, n := binary.Uvarint(v)
				if n <= 0 {
					return errors.New("bad packed dims")
				}
				t.Dims = append(t.Dims, int64(d))
				v = v[n:]
			}
		case 2:
			dtype = int(x)
		case 4: // float_data, packed or not
			if wt == 5 {
				floats = append(floats, math.Float32frombits(uint32(x)))
				return nil
			}
			if len(v)%4 != 0 {
				return errors.New("float_data not a multiple of 4 bytes")
			}
			for i := 0; i < len(v); i += 4 {
				floats = append(floats, math.Float32frombits(binary.LittleEndian.Uint32(v[i:])))
			}
		case 8:
			t.Name = string(v)
		case 9:
			raw = v
		case 14: // data_location: EXTERNAL
			if x != 0 {
				return errors.New("external tensor data is not supported")
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if dtype != onnxFloat {
		return nil
	}
	if t.Name == "" {
		t.Name = name
	}
	if raw != nil {
		if len(raw)%4 != 0 {
			return fmt.Errorf("tensor %q: raw data of %d bytes", t.Name, len(raw))
		}
		floats = make([]float32, len(raw)/4)
		for i := range floats {
			floats[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
	}
	want := int64(1)
	for _, d := range t.Dims {
		want *= d
	}
	if int64(len(floats)) != want {
		return fmt.Errorf("tensor %q: %d values for shape %v", t.Name, len(floats), t.Dims)
	}
	t.Data = floats
	r.out = append(r.out, t)
	return nil
}

// fields walks the fields of one protobuf message, calling fn with each
// field's number and wire type, and its bytes (length-delimited) or value
// (varint, fixed32, fixed64).
func fields(b []byte, fn func(num, wt int, v []byte, x uint64) error) error {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("bad field key")
		}
		b = b[n:]
		num, wt := int(key>>3), int(key&7)
		var v []byte
		var x uint64
		switch wt {
		case 0:
			x, n = binary.Uvarint(b)
			if n <= 0 {
				return errors.New("bad varint")
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return errors.New("short fixed64")
			}
			x, b = binary.LittleEndian.Uint64(b), b[8:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return fmt.Errorf("field %d: length %d past the end", num, l)
			}
			v, b = b[n:n+int(l)], b[n+int(l):]
		case 5:
			if len(b) < 4 {
				return errors.New("short fixed32")
			}
			x, b = uint64(binary.LittleEndian.Uint32(b)), b[4:]
		default:
			return fmt.Errorf("field %d: wire type %d not supported", num, wt)
		}
		if err := fn(num, wt, v, x); err != nil {
			return err
		}
	}
	return nil
}
