// The image data sets gankit knows by name: where their files come from and the
// SHA-256 and size of each file, so a download is verified before it is used.
// Checksums come from TensorFlow Datasets' url_checksums files (tensorflow/datasets,
// tensorflow_datasets/url_checksums/{mnist,fashion_mnist,kmnist,cifar10}.txt), which
// record sha256 and size per URL. A file without a known checksum is never downloaded.

export interface RegistryFile {
  /** File name, both on the server (appended to the base URL) and in the cache. */
  name: string;
  bytes: number;
  /** Lower-case hex; undefined where no published checksum is known (download refused). */
  sha256?: string;
}

export interface KnownImageData {
  format: 'idx' | 'cifar10';
  /** Official address; a file's URL is baseUrl + file name. */
  baseUrl: string;
  files: RegistryFile[];
  /** Folders a system package installs the same files into, looked at before downloading. */
  systemDirs?: string[];
  classNames: string[];
}

export type ImageRegistry = Readonly<Record<string, KnownImageData>>;

const idxFiles = (sums: [string, number, string][]): RegistryFile[] =>
  sums.map(([name, bytes, sha256]) => ({ name, bytes, sha256 }));

export const IMAGE_REGISTRY: ImageRegistry = {
  mnist: {
    format: 'idx',
    // yann.lecun.com, MNIST's original home, now refuses downloads (HTTP 403); this is
    // the mirror torchvision uses. Its files are byte-identical to the originals: the
    // sizes and SHA-256s below are TFDS's for the same files on Google's cvdf mirror,
    // and ankane/torchvision-ruby checks the same SHA-256s against this mirror.
    baseUrl: 'https://ossci-datasets.s3.amazonaws.com/mnist/',
    files: idxFiles([
      ['train-images-idx3-ubyte.gz', 9912422, '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609'],
      ['train-labels-idx1-ubyte.gz', 28881, '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c'],
      ['t10k-images-idx3-ubyte.gz', 1648877, '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6'],
      ['t10k-labels-idx1-ubyte.gz', 4542, 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6'],
    ]),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
  'fashion-mnist': {
    format: 'idx',
    baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    // These are the official files' checksums. Debian's dataset-fashion-mnist ships
    // gzip files without the file name in their header (each is shorter by exactly
    // that name's length), so its copies have other SHA-256s; they are read in place
    // and never checked against these.
    files: idxFiles([
      ['train-images-idx3-ubyte.gz', 26421880, '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84'],
      ['train-labels-idx1-ubyte.gz', 29515, 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845'],
      ['t10k-images-idx3-ubyte.gz', 4422102, '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073'],
      ['t10k-labels-idx1-ubyte.gz', 5148, '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5'],
    ]),
    systemDirs: ['/usr/share/datasets/fashion-mnist'],
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
  },
  kmnist: {
    format: 'idx',
    baseUrl: 'http://codh.rois.ac.jp/kmnist/dataset/kmnist/',
    files: idxFiles([
      ['train-images-idx3-ubyte.gz', 18165135, '51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4'],
      ['train-labels-idx1-ubyte.gz', 29497, 'e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17'],
      ['t10k-images-idx3-ubyte.gz', 3041136, 'edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5'],
      ['t10k-labels-idx1-ubyte.gz', 5120, '20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c'],
    ]),
    // The romanised names of the ten hiragana, as the KMNIST authors list them.
    classNames: ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'],
  },
  cifar10: {
    format: 'cifar10',
    baseUrl: 'https://www.cs.toronto.edu/~kriz/',
    files: [
      {
        name: 'cifar-10-binary.tar.gz',
        bytes: 170052171,
        sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
      },
    ],
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  },
};

/** The IDX file names of a split, in the order images, labels. */
export function idxSplitFiles(split: 'train' | 'test'): [string, string] {
  const prefix = split === 'train' ? 'train' : 't10k';
  return [`${prefix}-images-idx3-ubyte.gz`, `${prefix}-labels-idx1-ubyte.gz`];
}
