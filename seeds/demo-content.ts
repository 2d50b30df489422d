import type { AgendaKind } from '../shared/api/meetings';
import type { Confidentiality } from '../shared/api/documents';
import { reportPdf, resolutionPdf, scannedPdf, type GeneratedPdf } from './pdf';

/** The demo session's agenda and papers; one nested item shows the tree. */
export interface DemoDocument {
  readonly name: string;
  readonly confidentiality: Confidentiality;
  readonly make: () => Promise<GeneratedPdf>;
}

export interface DemoAgendaItem {
  readonly title: string;
  readonly kind: AgendaKind;
  readonly presenter: string;
  readonly description: string;
  readonly documents: readonly DemoDocument[];
  readonly children?: readonly DemoAgendaItem[];
}

export const DEMO_AGENDA: readonly DemoAgendaItem[] = [
  {
    title: 'Báo cáo tình hình kinh tế - xã hội năm 2026, phương hướng, nhiệm vụ năm 2027',
    kind: 'report',
    presenter: 'Chủ tịch UBND xã',
    description: 'Ủy ban nhân dân xã trình bày; đại biểu thảo luận tại hội trường.',
    documents: [{ name: 'Báo cáo tình hình kinh tế - xã hội năm 2026.pdf', confidentiality: 'public', make: () => reportPdf(110) }],
  },
  {
    title: 'Dự thảo Nghị quyết về dự toán ngân sách xã năm 2027',
    kind: 'resolution',
    presenter: 'Trưởng Ban Kinh tế - Xã hội',
    description: 'Thẩm tra và biểu quyết thông qua dự toán thu, chi ngân sách.',
    documents: [
      {
        name: 'Dự thảo Nghị quyết về dự toán ngân sách xã năm 2027.pdf',
        confidentiality: 'internal',
        make: () => resolutionPdf('về dự toán ngân sách xã năm 2027', ['Phê chuẩn dự toán thu ngân sách', 'Phê chuẩn dự toán chi ngân sách', 'Tổ chức thực hiện']),
      },
    ],
    children: [
      {
        title: 'Phân bổ vốn sự nghiệp cho các thôn, bản',
        kind: 'resolution',
        presenter: 'Kế toán ngân sách xã',
        description: 'Biểu quyết riêng phần phân bổ cho các thôn Páo Hồ, Bản Công, Trò A.',
        documents: [],
      },
    ],
  },
  {
    title: 'Dự thảo Nghị quyết về kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030',
    kind: 'resolution',
    presenter: 'Phó Chủ tịch UBND xã',
    description: 'Đường liên thôn, trường mầm non điểm bản và hệ thống nước sinh hoạt.',
    documents: [
      {
        name: 'Dự thảo Nghị quyết về kế hoạch đầu tư công trung hạn.pdf',
        confidentiality: 'internal',
        make: () => resolutionPdf('về kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030', ['Danh mục dự án', 'Nguồn vốn', 'Giao nhiệm vụ']),
      },
    ],
  },
  {
    title: 'Bầu bổ sung Ủy viên Ủy ban nhân dân xã',
    kind: 'election',
    presenter: 'Chủ tịch HĐND xã',
    description: 'Bỏ phiếu kín; mỗi đại biểu chọn tối đa một người.',
    documents: [
      {
        name: 'Danh sách nhân sự đề nghị bầu bổ sung (MẬT).pdf',
        confidentiality: 'confidential',
        make: () => resolutionPdf('về việc bầu bổ sung Ủy viên Ủy ban nhân dân xã', ['Danh sách người được giới thiệu', 'Thể lệ bầu cử']),
      },
    ],
  },
  {
    title: 'Báo cáo kết quả giám sát việc giải quyết kiến nghị cử tri',
    kind: 'report',
    presenter: 'Phó Chủ tịch HĐND xã',
    description: 'Kèm biên bản kiểm tra thực địa (bản quét).',
    documents: [{ name: 'Biên bản kiểm tra thực địa (bản quét).pdf', confidentiality: 'public', make: () => scannedPdf(6) }],
  },
  {
    title: 'Bế mạc kỳ họp',
    kind: 'report',
    presenter: 'Chủ tịch HĐND xã',
    description: 'Thông qua Nghị quyết kỳ họp và phát biểu bế mạc.',
    documents: [],
  },
];
